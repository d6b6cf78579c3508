{{/*
TLS between the components, on unless tls.enabled=false: the collector serves HTTPS and
gRPC over TLS with a key pair from tls.existingSecret or from the Secret the chart makes
(tls/secret.yaml). The collector mounts the key pair; agents and the UI mount only the
CA certificate, never a private key.
*/}}

{{- define "periscope.tlsDir" -}}
/etc/periscope/tls
{{- end -}}

{{/* Secret holding the collector's key pair. */}}
{{- define "periscope.tlsSecretName" -}}
{{- default (include "periscope.componentName" (list . "collector-tls")) .Values.tls.existingSecret -}}
{{- end -}}

{{/* Key of that Secret holding the CA agents and the UI trust; empty: the public CA roots. */}}
{{- define "periscope.tlsCaKey" -}}
{{- if .Values.tls.existingSecret -}}
{{- .Values.tls.caKey -}}
{{- else -}}
ca.crt
{{- end -}}
{{- end -}}

{{/*
The generated CA and certificate as the Secret's data (base64), in JSON. A new key pair on
every upgrade would leave agents that started earlier trusting a CA the collector no
longer presents, so the one stored in the cluster is reused; `helm template` has no
cluster to look in and makes a new one. Made once per render (kept in .Values) so the
Secret and the pods' checksum annotations see the same bytes.
*/}}
{{- define "periscope.generatedTls" -}}
{{- if not (hasKey .Values "__periscopeGeneratedTls") -}}
{{- $secretName := include "periscope.componentName" (list . "collector-tls") -}}
{{- $stored := (lookup "v1" "Secret" .Release.Namespace $secretName).data | default dict -}}
{{- $data := dict -}}
{{- if and (index $stored "ca.crt") (index $stored "tls.crt") (index $stored "tls.key") -}}
{{- $data = pick $stored "ca.crt" "tls.crt" "tls.key" -}}
{{- else -}}
{{- $service := include "periscope.componentName" (list . "collector") -}}
{{- $namespace := .Release.Namespace -}}
{{- /* Every name a pod may dial the collector Service by; agents and the UI use the first. */ -}}
{{- $dnsNames := list $service (printf "%s.%s" $service $namespace) (printf "%s.%s.svc" $service $namespace) (printf "%s.%s.svc.%s" $service $namespace .Values.clusterDomain) -}}
{{- $days := int .Values.tls.certificateDays -}}
{{- $ca := genCA (printf "%s CA" (include "periscope.fullname" .)) $days -}}
{{- $cert := genSignedCert $service nil $dnsNames $days $ca -}}
{{- $data = dict "ca.crt" ($ca.Cert | b64enc) "tls.crt" ($cert.Cert | b64enc) "tls.key" ($cert.Key | b64enc) -}}
{{- end -}}
{{- $_ := set .Values "__periscopeGeneratedTls" $data -}}
{{- end -}}
{{- toJson (get .Values "__periscopeGeneratedTls") -}}
{{- end -}}

{{/* Checksum of the TLS Secret, for the pod templates of everything that mounts it. */}}
{{- define "periscope.tlsChecksum" -}}
{{- if .Values.tls.existingSecret -}}
{{- include "periscope.existingSecretChecksum" (list . .Values.tls.existingSecret) -}}
{{- else -}}
{{- include "periscope.generatedTls" . | sha256sum -}}
{{- end -}}
{{- end -}}

{{/* Volume with tls.crt and tls.key for the collector. */}}
{{- define "periscope.collectorTlsVolume" -}}
- name: tls
  secret:
    secretName: {{ include "periscope.tlsSecretName" . }}
    # 0440: the collector runs as uid 10001 and reads the key through its fsGroup (10001).
    defaultMode: 288
    items:
      - key: tls.crt
        path: tls.crt
      - key: tls.key
        path: tls.key
{{- end -}}

{{/* Volume with the CA the collector's certificate chains to, for agents and the UI. */}}
{{- define "periscope.collectorCaVolume" -}}
- name: collector-ca
  secret:
    secretName: {{ include "periscope.tlsSecretName" . }}
    items:
      - key: {{ include "periscope.tlsCaKey" . }}
        path: ca.crt
{{- end -}}

{{- define "periscope.collectorCaMount" -}}
- name: collector-ca
  mountPath: {{ include "periscope.tlsDir" . }}
  readOnly: true
{{- end -}}
