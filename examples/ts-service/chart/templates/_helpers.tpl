{{/*
Every object is named after the release. Argo CD (and the template harness) install the
chart with the release name equal to the service name, which is also the value of the
backstage.io/kubernetes-id label that Backstage's Kubernetes and Canary plugins select by.
*/}}
{{- define "service.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "service.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that select the service's pods (both tracks); never add version or track here. */}}
{{- define "service.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "service.labels" -}}
{{ include "service.selectorLabels" . }}
helm.sh/chart: {{ include "service.chart" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
backstage.io/kubernetes-id: {{ .Release.Name }}
{{- with .Values.partOf }}
{{- /* An entity ref (system:default/payments) becomes its name. */}}
app.kubernetes.io/part-of: {{ regexReplaceAll "^.*[:/]" . "" }}
{{- end }}
{{- end -}}

{{/* The released image's tag (the commit SHA CI built it from), written by CI into values.yaml. */}}
{{- define "service.imageTag" -}}
{{- required "image.tag is empty: CI writes the released commit SHA into chart/values.yaml (image.tag and image.digest)" .Values.image.tag -}}
{{- end -}}

{{/* What pods pull: repository@digest once CI has pushed the image (the tag stays a label), else repository:tag. */}}
{{- define "service.imageRef" -}}
{{- if .root.Values.image.digest -}}
{{ .root.Values.image.repository }}@{{ .root.Values.image.digest }}
{{- else -}}
{{ .root.Values.image.repository }}:{{ .tag }}
{{- end -}}
{{- end -}}

{{/* An image tag as a label value: at most 63 characters, alphanumeric at both ends. */}}
{{- define "service.versionLabel" -}}
{{- regexReplaceAll "[^A-Za-z0-9._-]" . "_" | trunc 63 | trimAll "_.-" -}}
{{- end -}}

{{/* The name of the Kubernetes Secret the CSI driver syncs the listed secrets into. */}}
{{- define "service.secretName" -}}
{{- printf "%s-secrets" (include "service.fullname" .) -}}
{{- end -}}

{{/* The CloudNativePG application secret (keys host, port, dbname, username, password). */}}
{{- define "service.databaseSecret" -}}
{{- .Values.database.secretName | default (printf "%s-db-app" (include "service.fullname" .)) -}}
{{- end -}}

{{/* The canary track's Service: Argo Rollouts pins it to the canary ReplicaSet. */}}
{{- define "service.canaryName" -}}
{{- printf "%s-canary" (include "service.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The HTTP route of the VirtualService whose weights the Rollout sets. */}}
{{- define "service.primaryRoute" -}}primary{{- end -}}

{{/* The route Argo Rollouts adds for the canary header (setHeaderRoute) and removes at the end. */}}
{{- define "service.headerRoute" -}}canary-header{{- end -}}

{{/* The rule that sends a web server's asset-fallback fetches to the stable revision. */}}
{{- define "service.assetFallbackRoute" -}}asset-fallback{{- end -}}

{{/*
Fails the render, naming the value, when values contradict each other. Included by every
template, so `helm template -s` of any one file fails too.
*/}}
{{- define "service.validate" -}}
{{- $v := .Values -}}
{{- if and $v.canary.enabled (not $v.mesh.enabled) -}}
{{- fail "canary.enabled is true but mesh.enabled is false: the canary's traffic is split by Istio, so it needs the mesh" -}}
{{- end -}}
{{- if not $v.mesh.enabled -}}
{{- range $key := list "hosts" "gateways" -}}
{{- if index $v.mesh $key -}}
{{- fail (printf "mesh.%s is set but mesh.enabled is false: only Istio routes hosts and gateways" $key) -}}
{{- end -}}
{{- end -}}
{{- if $v.routes -}}
{{- fail "routes is set but mesh.enabled is false: the path routes are Istio VirtualService rules" -}}
{{- end -}}
{{- end -}}
{{- if and $v.mesh.gateways (not $v.mesh.hosts) -}}
{{- fail "mesh.gateways is set but mesh.hosts is empty: a gateway only routes the hosts clients ask for (e.g. orders.example.com)" -}}
{{- end -}}
{{- if and $v.secrets (not $v.serviceAccount.roleArn) -}}
{{- fail "secrets is set but serviceAccount.roleArn is empty: the Secrets Store CSI driver reads AWS Secrets Manager with the pods' IAM role (IRSA)" -}}
{{- end -}}
{{- if and $v.autoscaling.enabled (gt (int $v.autoscaling.minReplicas) (int $v.autoscaling.maxReplicas)) -}}
{{- fail (printf "autoscaling.minReplicas (%d) is greater than autoscaling.maxReplicas (%d)" (int $v.autoscaling.minReplicas) (int $v.autoscaling.maxReplicas)) -}}
{{- end -}}
{{- if $v.canary.enabled -}}
{{- if and (not $v.autoscaling.enabled) (lt (int $v.replicaCount) 1) -}}
{{- fail "replicaCount is 0 with canary.enabled: the canary's replicas follow its weight as a share of replicaCount, so there must be at least one" -}}
{{- end -}}
{{- $last := 0 -}}
{{- $weights := 0 -}}
{{- range $i, $step := $v.canary.steps -}}
{{- if hasKey $step "setWeight" -}}
{{- $weight := int $step.setWeight -}}
{{- if lt $weight $last -}}
{{- fail (printf "canary.steps[%d].setWeight is %d, lower than the %d of an earlier step: the canary's weight only grows (an abort is what sends traffic back)" $i $weight $last) -}}
{{- end -}}
{{- $last = $weight -}}
{{- $weights = add1 $weights -}}
{{- end -}}
{{- end -}}
{{- if eq $weights 0 -}}
{{- fail "canary.steps has no setWeight step: the canary would never get traffic before it is promoted" -}}
{{- end -}}
{{- if and $v.canary.analysis.enabled (not $v.monitoring.prometheusAddress) -}}
{{- fail "canary.analysis.enabled is true but monitoring.prometheusAddress is empty: the analysis queries Prometheus" -}}
{{- end -}}
{{- end -}}
{{- if and $v.database.migrations.enabled (not $v.database.enabled) -}}
{{- fail "database.migrations.enabled is true but database.enabled is false: there is no database to migrate" -}}
{{- end -}}
{{- end -}}

{{/*
Pod labels and annotations shared by the Deployment and the Rollout. Called with a dict:
root (the chart context), tag (the image tag) and track (stable, or empty for a Rollout,
whose controller adds the track label to each revision's pods).
*/}}
{{- define "service.podMetadata" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
labels:
  {{- include "service.labels" $root | nindent 2 }}
  {{- with .track }}
  track: {{ . }}
  {{- end }}
  version: {{ include "service.versionLabel" .tag | quote }}
  {{- if $v.mesh.enabled }}
  # Mutual TLS, the VirtualService and the canary split only work through the sidecar.
  sidecar.istio.io/inject: "true"
  {{- end }}
annotations:
  kubectl.kubernetes.io/default-container: {{ $root.Chart.Name }}
  {{- if $v.monitoring.enabled }}
  # Where the app serves its metrics. With the mesh, Istio's injector rewrites these to
  # the sidecar agent's plain-HTTP port 15020 and merges the app's metrics with Envoy's
  # there, so Prometheus needs no mTLS certificate (metrics merging).
  prometheus.io/scrape: "true"
  prometheus.io/port: {{ $v.containerPort | quote }}
  prometheus.io/path: /metrics
  {{- end }}
  {{- with $v.podAnnotations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end -}}

{{/* The container's environment (the migration Job gets the same). */}}
{{- define "service.env" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
- name: PORT
  value: {{ $v.containerPort | quote }}
- name: LOG_LEVEL
  value: {{ $v.logLevel | quote }}
{{- if $v.database.enabled }}
{{- $secret := include "service.databaseSecret" $root }}
{{- range $env, $key := dict "DB_HOST" "host" "DB_PORT" "port" "DB_NAME" "dbname" "DB_USER" "username" "DB_PASSWORD" "password" }}
- name: {{ $env }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
{{- end }}
{{- end }}
{{- if .withSecrets }}
{{- range $v.secrets }}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ include "service.secretName" $root }}
      key: {{ .name }}
{{- end }}
{{- end }}
{{- if and $v.canary.enabled ($v.staticAssets | default dict).fallbackToOtherTrack }}
# Hashed assets this pod's build lacks come from the other track's pods (see README).
- name: ASSET_FALLBACK_ORIGINS
  value: {{ printf "http://%s,http://%s" (include "service.canaryName" $root) (include "service.fullname" $root) | quote }}
{{- end }}
{{- range $name, $value := $v.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* The container security context of Pod Security "restricted". */}}
{{- define "service.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The pod security context (numeric non-root user). */}}
{{- define "service.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
runAsGroup: {{ .Values.podSecurityContext.runAsGroup }}
fsGroup: {{ .Values.podSecurityContext.runAsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
The pod spec of the Deployment and the Rollout. Called with a dict: root (the chart
context), tag (the image tag), track (the Deployment's track label, or empty) and
hashLabel (the label each revision's pods carry: pod-template-hash for a Deployment's
ReplicaSets, rollouts-pod-template-hash for a Rollout's).
*/}}
{{- define "service.podSpec" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
serviceAccountName: {{ include "service.fullname" $root }}
# The app does not call the Kubernetes API. IRSA and the Istio sidecar mount
# their own projected tokens, so they keep working without this one.
automountServiceAccountToken: false
terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
securityContext:
  {{- include "service.podSecurityContext" $root | nindent 2 }}
topologySpreadConstraints:
  {{- $zone := dict "key" "topology.kubernetes.io/zone" "when" $v.topologySpread.zone }}
  {{- $node := dict "key" "kubernetes.io/hostname" "when" $v.topologySpread.hostname }}
  {{- range list $zone $node }}
  - maxSkew: 1
    topologyKey: {{ .key }}
    whenUnsatisfiable: {{ .when }}
    labelSelector:
      matchLabels:
        {{- include "service.selectorLabels" $root | nindent 8 }}
        {{- with $.track }}
        track: {{ . }}
        {{- end }}
    # Spread each revision's pods on their own, not against the old ones.
    matchLabelKeys:
      - {{ $.hashLabel }}
  {{- end }}
containers:
  - name: {{ $root.Chart.Name }}
    image: {{ include "service.imageRef" . | quote }}
    imagePullPolicy: {{ $v.image.pullPolicy }}
    ports:
      - name: http
        containerPort: {{ $v.containerPort }}
        protocol: TCP
    env:
      {{- include "service.env" (dict "root" $root "withSecrets" true) | nindent 6 }}
    startupProbe:
      # Allows a slow start before liveness applies (the schema is migrated by a Job).
      httpGet:
        path: {{ $v.probes.liveness.path }}
        port: http
      periodSeconds: 2
      failureThreshold: {{ $v.probes.startupFailureThreshold }}
    livenessProbe:
      httpGet:
        path: {{ $v.probes.liveness.path }}
        port: http
      periodSeconds: {{ $v.probes.liveness.periodSeconds }}
      timeoutSeconds: {{ $v.probes.liveness.timeoutSeconds }}
      failureThreshold: {{ $v.probes.liveness.failureThreshold }}
    readinessProbe:
      httpGet:
        path: {{ $v.probes.readiness.path }}
        port: http
      periodSeconds: {{ $v.probes.readiness.periodSeconds }}
      timeoutSeconds: {{ $v.probes.readiness.timeoutSeconds }}
      failureThreshold: {{ $v.probes.readiness.failureThreshold }}
    {{- if gt (int $v.preStopSleepSeconds) 0 }}
    lifecycle:
      # Keep serving while endpoints and the mesh stop sending new requests.
      preStop:
        sleep:
          seconds: {{ $v.preStopSleepSeconds }}
    {{- end }}
    resources:
      {{- toYaml $v.resources | nindent 6 }}
    securityContext:
      {{- include "service.containerSecurityContext" $root | nindent 6 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
      {{- if $v.secrets }}
      - name: secrets-store
        mountPath: /mnt/secrets-store
        readOnly: true
      {{- end }}
volumes:
  # The root filesystem is read-only; /tmp is the only writable path.
  - name: tmp
    emptyDir:
      sizeLimit: {{ $v.tmpSizeLimit }}
  {{- if $v.secrets }}
  # Mounting the volume is what makes the CSI driver fetch the secrets and sync
  # them into the Secret the env vars above read.
  - name: secrets-store
    csi:
      driver: secrets-store.csi.k8s.io
      readOnly: true
      volumeAttributes:
        secretProviderClass: {{ include "service.fullname" $root }}
  {{- end }}
{{- end -}}

{{/*
The route label values the RED metrics leave out: probes and scrapes arrive every few
seconds and would dilute the error ratio and the latency.
*/}}
{{- define "service.unservedRoutes" -}}
{{- list .Values.probes.liveness.path .Values.probes.readiness.path "/metrics" | uniq | join "|" -}}
{{- end -}}

{{/* The label matchers of the service's own series (app metrics through the PodMonitor). */}}
{{- define "service.seriesSelector" -}}
{{- printf "namespace=\"%s\", service=\"%s\", route!~\"%s\"" .Release.Namespace (include "service.fullname" .) (include "service.unservedRoutes" .) -}}
{{- end -}}
