{{/* Secret with the keys admin-token, ui-token and agent-token: the user's auth.existingSecret, or the one the chart keeps. */}}
{{- define "periscope.authSecretName" -}}
{{- default (include "periscope.componentName" (list . "auth")) .Values.auth.existingSecret -}}
{{- end -}}

{{/*
The generated tokens as the Secret's data (base64), in JSON. New tokens on every upgrade
would split pods still running with the old ones (env is read at start) from those
started after, and void the admin token the user wrote down: the ones stored in the
cluster are reused; `helm template` has no cluster to look in, so it generates them. A
key missing from a Secret made by an older chart (ui-token) is generated once, then kept.
Made once per render (kept in .Values) so the Secret and the checksum annotations agree.
*/}}
{{- define "periscope.generatedTokens" -}}
{{- if not (hasKey .Values "__periscopeGeneratedTokens") -}}
{{- $stored := (lookup "v1" "Secret" .Release.Namespace (include "periscope.authSecretName" .)).data | default dict -}}
{{- $data := dict -}}
{{- range $key := list "admin-token" "ui-token" "agent-token" -}}
{{- $_ := set $data $key (index $stored $key | default (randAlphaNum 32 | b64enc)) -}}
{{- end -}}
{{- $_ := set .Values "__periscopeGeneratedTokens" $data -}}
{{- end -}}
{{- toJson (get .Values "__periscopeGeneratedTokens") -}}
{{- end -}}

{{/* Checksum of the tokens' Secret, for the pod templates of everything that reads it. */}}
{{- define "periscope.authChecksum" -}}
{{- if .Values.auth.existingSecret -}}
{{- include "periscope.existingSecretChecksum" (list . .Values.auth.existingSecret) -}}
{{- else -}}
{{- include "periscope.generatedTokens" . | sha256sum -}}
{{- end -}}
{{- end -}}
