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

{{/* The image tag every environment must set (CI writes the commit SHA for staging). */}}
{{- define "service.imageTag" -}}
{{- required "image.tag is empty: set it in the environment's values file (CI writes the commit SHA into values-staging.yaml)" .Values.image.tag -}}
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

{{/*
Fails the render unless the canary weights sum to 100: Istio rejects other splits at
admission, and catching it here keeps a bad split out of the GitOps repository.
*/}}
{{- define "service.validateCanary" -}}
{{- if .Values.canary.enabled -}}
{{- $stable := int .Values.canary.weights.stable -}}
{{- $canary := int .Values.canary.weights.canary -}}
{{- if ne (add $stable $canary) 100 -}}
{{- fail (printf "canary.weights must sum to 100, got stable %d + canary %d = %d" $stable $canary (add $stable $canary)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
One Deployment per track. Called with a dict: root (the chart context), track
(stable|canary), name, replicas, tag and autoscaled (whether an HPA owns the replicas).
*/}}
{{- define "service.deployment" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $version := include "service.versionLabel" .tag -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .name }}
  labels:
    {{- include "service.labels" $root | nindent 4 }}
    track: {{ .track }}
spec:
  {{- if not .autoscaled }}
  replicas: {{ .replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "service.selectorLabels" $root | nindent 6 }}
      track: {{ .track }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      # Start a new pod before an old one goes, so capacity never drops during a rollout.
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        {{- include "service.labels" $root | nindent 8 }}
        track: {{ .track }}
        version: {{ $version | quote }}
        {{- if $v.canary.enabled }}
        # The Istio objects (mTLS, subsets, header routing) only work through the sidecar.
        sidecar.istio.io/inject: "true"
        {{- end }}
      annotations:
        kubectl.kubernetes.io/default-container: {{ $root.Chart.Name }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "service.fullname" $root }}
      # The app does not call the Kubernetes API. IRSA and the Istio sidecar mount
      # their own projected tokens, so they keep working without this one.
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      securityContext:
        runAsNonRoot: true
        runAsUser: {{ $v.podSecurityContext.runAsUser }}
        runAsGroup: {{ $v.podSecurityContext.runAsGroup }}
        fsGroup: {{ $v.podSecurityContext.runAsGroup }}
        seccompProfile:
          type: RuntimeDefault
      topologySpreadConstraints:
        {{- $zone := dict "key" "topology.kubernetes.io/zone" "when" $v.topologySpread.zone }}
        {{- $node := dict "key" "kubernetes.io/hostname" "when" $v.topologySpread.hostname }}
        {{- range list $zone $node }}
        - maxSkew: 1
          topologyKey: {{ .key }}
          whenUnsatisfiable: {{ .when }}
          labelSelector:
            matchLabels:
              {{- include "service.selectorLabels" $root | nindent 14 }}
              track: {{ $.track }}
          # Spread each rollout's new pods on their own, not against the old ones.
          matchLabelKeys:
            - pod-template-hash
        {{- end }}
      containers:
        - name: {{ $root.Chart.Name }}
          image: "{{ $v.image.repository }}:{{ .tag }}"
          imagePullPolicy: {{ $v.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $v.containerPort }}
              protocol: TCP
          env:
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
            {{- range $v.secrets }}
            - name: {{ .env }}
              valueFrom:
                secretKeyRef:
                  name: {{ include "service.secretName" $root }}
                  key: {{ .name }}
            {{- end }}
            {{- range $name, $value := $v.env }}
            - name: {{ $name }}
              value: {{ $value | quote }}
            {{- end }}
          startupProbe:
            # Allows a slow start (e.g. a schema migration) before liveness applies.
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
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop:
                - ALL
            seccompProfile:
              type: RuntimeDefault
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
