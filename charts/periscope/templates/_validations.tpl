{{/*
Checks across values that the JSON schema cannot express. Each failure names the value
to set, so `helm install` stops before creating a half-working release.
*/}}
{{- define "periscope.validateValues" -}}
{{- $storage := .Values.storage -}}
{{- if and (eq $storage.mode "external") (not $storage.external.url) (not $storage.external.existingSecret) -}}
{{- fail "storage.mode=external needs the ClickHouse address: set storage.external.url (e.g. https://user:password@clickhouse.example:8443/periscope) or storage.external.existingSecret" -}}
{{- end -}}
{{- if eq $storage.mode "cluster" -}}
{{- if not $storage.cluster.name -}}
{{- fail "storage.mode=cluster needs the ClickHouse cluster's name from its remote_servers configuration: set storage.cluster.name" -}}
{{- end -}}
{{- if and (not $storage.cluster.url) (not $storage.cluster.existingSecret) -}}
{{- fail "storage.mode=cluster needs the address of one of the cluster's servers: set storage.cluster.url (e.g. https://user:password@clickhouse-0.example:8443/periscope) or storage.cluster.existingSecret" -}}
{{- end -}}
{{- end -}}
{{- if and (eq $storage.mode "embedded") (gt (int .Values.collector.replicas) 1) -}}
{{- fail "storage.mode=embedded keeps data inside one collector process (the engine locks its data directory): set collector.replicas=1, or storage.mode=external or cluster to scale the collector" -}}
{{- end -}}
{{- $agent := .Values.agent -}}
{{- if and $agent.enabled (not $agent.securityContext.privileged) (not $agent.securityContext.capabilities) -}}
{{- fail "the agent cannot load eBPF programs without privileges: set agent.securityContext.privileged=true or list agent.securityContext.capabilities (BPF, PERFMON, SYS_PTRACE, DAC_READ_SEARCH, CHECKPOINT_RESTORE, SYS_RESOURCE)" -}}
{{- end -}}
{{- if and (not .Values.tls.enabled) .Values.tls.existingSecret -}}
{{- fail "tls.existingSecret is set but tls.enabled=false: set tls.enabled=true to serve with it, or tls.existingSecret=\"\"" -}}
{{- end -}}
{{- if and .Values.ui.ingress.enabled (not .Values.ui.enabled) -}}
{{- fail "ui.ingress.enabled=true needs the UI: set ui.enabled=true or ui.ingress.enabled=false" -}}
{{- end -}}
{{- end -}}
