{{/* Names and labels shared by every template. */}}

{{- define "periscope.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Object name prefix. Kubernetes names are DNS labels (63 characters); components append
up to 11 characters ("-clickhouse"), so the prefix is cut to 52.
*/}}
{{- define "periscope.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's objects: include "periscope.componentName" (list $ "agent") */}}
{{- define "periscope.componentName" -}}
{{- printf "%s-%s" (include "periscope.fullname" (index . 0)) (index . 1) -}}
{{- end -}}

{{/* Labels every object carries (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). */}}
{{- define "periscope.labels" -}}
{{- $root := index . 0 -}}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" }}
{{ include "periscope.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
app.kubernetes.io/part-of: periscope
{{- with $root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels that select one component's pods; they never change across upgrades. */}}
{{- define "periscope.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "periscope.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* Full image reference of a Periscope component: include "periscope.image" (list $ .Values.agent.repository) */}}
{{- define "periscope.image" -}}
{{- $root := index . 0 -}}
{{- printf "%s/%s:%s" $root.Values.image.registry (index . 1) (default $root.Chart.AppVersion $root.Values.image.tag) -}}
{{- end -}}

{{/* Address agents dial: the collector's gRPC Service port. */}}
{{- define "periscope.collectorGrpcAddr" -}}
{{- printf "%s:%d" (include "periscope.componentName" (list . "collector")) (int .Values.collector.service.grpcPort) -}}
{{- end -}}

{{/* Base URL of the collector's HTTP API, as the UI reaches it: https unless tls.enabled=false. */}}
{{- define "periscope.collectorHttpUrl" -}}
{{- $scheme := ternary "https" "http" .Values.tls.enabled -}}
{{- printf "%s://%s:%d" $scheme (include "periscope.componentName" (list . "collector")) (int .Values.collector.service.httpPort) -}}
{{- end -}}

{{/*
sha256 of a Secret the user manages, for a pod template's checksum annotation: its data
when the cluster has it (install and upgrade look it up), so `helm upgrade` after the
user changed it restarts the pods that read it; its name otherwise (`helm template`).
  include "periscope.existingSecretChecksum" (list $ "my-secret")
*/}}
{{- define "periscope.existingSecretChecksum" -}}
{{- $root := index . 0 -}}
{{- $name := index . 1 -}}
{{- with lookup "v1" "Secret" $root.Release.Namespace $name -}}
{{- toJson .data | sha256sum -}}
{{- else -}}
{{- printf "Secret %s" $name | sha256sum -}}
{{- end -}}
{{- end -}}
