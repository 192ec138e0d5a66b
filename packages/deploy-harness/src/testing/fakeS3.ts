/*
 * The one S3 call the TechDocs publisher makes when the backend starts (HeadBucket), for
 * the two-replica suite: answers 200 for the expected bucket when the request is signed
 * (AWS Signature Version 4, i.e. the SDK found credentials), 403 otherwise, and records
 * what it was asked.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';

export type S3Request = { method: string; path: string; signed: boolean };

export class FakeS3 {
  readonly requests: S3Request[] = [];
  readonly #bucket: string;
  #server?: http.Server;

  constructor(bucket: string) {
    this.#bucket = bucket;
  }

  async start(): Promise<string> {
    this.#server = http.createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://s3').pathname.replace(
        /(.)\/$/,
        '$1',
      );
      const signed = /^AWS4-HMAC-SHA256 Credential=/.test(
        req.headers.authorization ?? '',
      );
      this.requests.push({ method: req.method ?? '', path, signed });
      const ok = signed && req.method === 'HEAD' && path === `/${this.#bucket}`;
      res.writeHead(ok ? 200 : 403).end();
    });
    await new Promise<void>(resolve =>
      this.#server!.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise(resolve => this.#server?.close(resolve));
  }
}
