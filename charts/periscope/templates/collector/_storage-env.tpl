{{/*
Environment that tells the collector where records go, per storage.mode. An empty
PERISCOPE_STORAGE_URL selects the embedded engine on PERISCOPE_DATA_DIR.
*/}}
{{- define "periscope.collectorStorageEnv" -}}
{{- $storage := .Values.storage -}}
{{- if eq $storage.mode "clickhouse" }}
- name: CLICKHOUSE_USER
  value: {{ $storage.clickhouse.auth.username | quote }}
- name: CLICKHOUSE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "periscope.clickhouseSecretName" . }}
      key: password
# $(VAR) is expanded by the kubelet from the variables above, so the password stays in the Secret.
- name: PERISCOPE_STORAGE_URL
  value: {{ printf "http://$(CLICKHOUSE_USER):$(CLICKHOUSE_PASSWORD)@%s:8123/%s" (include "periscope.componentName" (list . "clickhouse")) $storage.clickhouse.database | quote }}
{{- else if eq $storage.mode "external" }}
- name: PERISCOPE_STORAGE_URL
  valueFrom:
    secretKeyRef:
      name: {{ default (include "periscope.componentName" (list . "storage")) $storage.external.existingSecret }}
      key: {{ if $storage.external.existingSecret }}{{ $storage.external.existingSecretKey }}{{ else }}url{{ end }}
{{- else }}
- name: PERISCOPE_STORAGE_URL
  value: ""
- name: PERISCOPE_DATA_DIR
  value: {{ $storage.embedded.dataDir | quote }}
{{- end }}
{{- end -}}
