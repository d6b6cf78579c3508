{{/*
Checks across values that the JSON schema cannot express. Each failure names the value
to set, so `helm install` stops before creating a half-working release.
*/}}
{{- define "periscope.validateValues" -}}
{{- $storage := .Values.storage -}}
{{- if and (eq $storage.mode "external") (not $storage.external.url) (not $storage.external.existingSecret) -}}
{{- fail "storage.mode=external needs the ClickHouse address: set storage.external.url (e.g. http://user:password@clickhouse.example:8123/periscope) or storage.external.existingSecret" -}}
{{- end -}}
{{- if and (eq $storage.mode "embedded") (gt (int .Values.collector.replicas) 1) -}}
{{- fail "storage.mode=embedded keeps data inside one collector process (the engine locks its data directory): set collector.replicas=1, or storage.mode=clickhouse to scale the collector" -}}
{{- end -}}
{{- $agentSecurity := .Values.agent.securityContext -}}
{{- if and .Values.agent.enabled (not $agentSecurity.privileged) (not $agentSecurity.capabilities) -}}
{{- fail "the agent cannot load eBPF programs without privileges: set agent.securityContext.privileged=true or list agent.securityContext.capabilities (BPF, PERFMON, SYS_ADMIN, SYS_RESOURCE, NET_ADMIN)" -}}
{{- end -}}
{{- if and .Values.ui.ingress.enabled (not .Values.ui.enabled) -}}
{{- fail "ui.ingress.enabled=true needs the UI: set ui.enabled=true or ui.ingress.enabled=false" -}}
{{- end -}}
{{- end -}}
