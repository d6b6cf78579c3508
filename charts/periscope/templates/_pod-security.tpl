{{/*
Restricted security settings for the collector and UI pods (Pod Security Standards,
"restricted" profile). uid and gid 10001 are the "periscope" service user the collector
and UI images create (deploy/docker/*.Dockerfile); the fsGroup makes mounted volumes and
Secrets readable to it.
*/}}
{{- define "periscope.restrictedPodSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "periscope.restrictedContainerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}
