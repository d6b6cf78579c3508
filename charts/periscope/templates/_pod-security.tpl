{{/*
Restricted security settings for the collector and UI pods (Pod Security Standards,
"restricted" profile). uid 1000 is the "node" user of the node:20 images.
*/}}
{{- define "periscope.restrictedPodSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "periscope.restrictedContainerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}
