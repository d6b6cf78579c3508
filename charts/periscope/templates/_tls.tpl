{{/*
TLS between the components, on when tls.existingSecret names a kubernetes.io/tls Secret.
The collector mounts the key pair; agents and the UI mount only the CA certificate, never
the private key.
*/}}

{{- define "periscope.tlsDir" -}}
/etc/periscope/tls
{{- end -}}

{{/* Volume with tls.crt and tls.key for the collector. */}}
{{- define "periscope.collectorTlsVolume" -}}
- name: tls
  secret:
    secretName: {{ .Values.tls.existingSecret }}
    # 0440: the collector runs as uid 1000 and reads the key through its fsGroup (1000).
    defaultMode: 288
    items:
      - key: tls.crt
        path: tls.crt
      - key: tls.key
        path: tls.key
{{- end -}}

{{/* Volume with the CA the collector's certificate chains to (tls.caKey), for agents and the UI. */}}
{{- define "periscope.collectorCaVolume" -}}
- name: collector-ca
  secret:
    secretName: {{ .Values.tls.existingSecret }}
    items:
      - key: {{ .Values.tls.caKey }}
        path: ca.crt
{{- end -}}

{{- define "periscope.collectorCaMount" -}}
- name: collector-ca
  mountPath: {{ include "periscope.tlsDir" . }}
  readOnly: true
{{- end -}}
