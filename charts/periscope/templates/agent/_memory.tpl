{{/*
Mebibytes in a Kubernetes memory quantity, for the agent's heap cap: "1Gi" → 1024,
"512Mi" → 512, "1G" → 953, "1073741824" → 1024. values.schema.json admits only these
forms (no fractions, no milli), so anything else here is a bug in this template.
*/}}
{{- define "periscope.quantityMiB" -}}
{{- $quantity := toString . -}}
{{- $units := dict "Ti" 1099511627776 "Gi" 1073741824 "Mi" 1048576 "Ki" 1024 "T" 1000000000000 "G" 1000000000 "M" 1000000 "k" 1000 -}}
{{- $number := regexFind "^[0-9]+" $quantity -}}
{{- $suffix := trimPrefix $number $quantity -}}
{{- $bytes := 0 -}}
{{- if eq $suffix "" -}}
{{- $bytes = int64 $number -}}
{{- else if hasKey $units $suffix -}}
{{- $bytes = mul (int64 $number) (index $units $suffix) -}}
{{- else -}}
{{- fail (printf "agent.resources.limits.memory %q is not a quantity the chart reads: write it as a whole number with Ki, Mi, Gi, Ti, k, M, G or T (e.g. 1Gi)" $quantity) -}}
{{- end -}}
{{- div $bytes 1048576 -}}
{{- end -}}
