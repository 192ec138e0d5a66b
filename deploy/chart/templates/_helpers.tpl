{{/*
Every object is named after the release ("runway" as deploy/argocd installs it), which is
also the value of the backstage.io/kubernetes-id label: the portal shows itself on its own
entity page like any service.
*/}}
{{- define "runway.fullname" -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "runway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that select the portal's pods. */}}
{{- define "runway.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "runway.labels" -}}
{{ include "runway.selectorLabels" . }}
helm.sh/chart: {{ include "runway.chart" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
backstage.io/kubernetes-id: {{ .Release.Name }}
{{- end -}}

{{/* The image tag (the commit SHA CI built). */}}
{{- define "runway.imageTag" -}}
{{- required "image.tag is empty: set the commit SHA of the image in values-production.yaml" .Values.image.tag -}}
{{- end -}}

{{/* An image tag as a label value: at most 63 characters, alphanumeric at both ends. */}}
{{- define "runway.versionLabel" -}}
{{- regexReplaceAll "[^A-Za-z0-9._-]" . "_" | trunc 63 | trimAll "_.-" -}}
{{- end -}}

{{/* The Secret the CSI driver syncs the listed Secrets Manager values into. */}}
{{- define "runway.secretName" -}}
{{- printf "%s-secrets" (include "runway.fullname" .) -}}
{{- end -}}

{{/* The CloudNativePG cluster of the portal (cnpg:database:create's name: <name>-db). */}}
{{- define "runway.databaseCluster" -}}
{{- printf "%s-db" .Release.Name -}}
{{- end -}}
