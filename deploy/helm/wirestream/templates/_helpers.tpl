{{/* Names, labels and the pieces every workload shares. */}}

{{- define "wirestream.name" -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "wirestream.namespace" -}}
{{- .Values.namespace.name | default .Release.Namespace -}}
{{- end -}}

{{- define "wirestream.image" -}}
{{- $registry := required "set image.registry: the registry you pushed the wirestream image to" .Values.image.registry -}}
{{- printf "%s/%s:%s" $registry .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "wirestream.selector" -}}
app.kubernetes.io/name: wirestream
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "wirestream.labels" -}}
{{ include "wirestream.selector" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: Helm
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* "true" when a password or a CA comes from a Secret: they are mounted as files. */}}
{{- define "wirestream.secured" -}}
{{- $security := .Values.kafka.security -}}
{{- if or $security.passwordSecret.name $security.caSecret.name }}true{{ end -}}
{{- end -}}

{{/* A worker's container: the settings as environment, a read-only root, the data and /tmp as emptyDirs. */}}
{{- define "wirestream.container" -}}
- name: {{ .name }}
  image: {{ include "wirestream.image" .root }}
  imagePullPolicy: {{ .root.Values.image.pullPolicy }}
  args:
    {{- toYaml .args | nindent 4 }}
  workingDir: {{ .root.Values.dataDir }}
  envFrom:
    - configMapRef:
        name: {{ include "wirestream.name" .root }}-settings
  {{- with .env }}
  env:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  resources:
    {{- toYaml .resources | nindent 4 }}
  securityContext:
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    capabilities:
      drop: [ALL]
  {{- if .port }}
  ports:
    - name: http
      containerPort: {{ .port }}
  {{- end }}
  {{- if .probes }}
  # Start-up covers loading the models (~13 s, longer on a busy node); then liveness (the event loop
  # answers, no agent stalled) and readiness (connected, holding partitions).
  startupProbe:
    httpGet: {path: {{ .probes.startup }}, port: http}
    periodSeconds: 5
    failureThreshold: 60
  livenessProbe:
    httpGet: {path: {{ .probes.live }}, port: http}
    periodSeconds: 15
    timeoutSeconds: 3
    failureThreshold: 4
  readinessProbe:
    httpGet: {path: {{ .probes.ready }}, port: http}
    periodSeconds: 10
    timeoutSeconds: 3
    failureThreshold: 3
  {{- end }}
  volumeMounts:
    - name: data
      mountPath: {{ .root.Values.dataDir }}
    - name: tmp
      mountPath: /tmp
    {{- if eq (include "wirestream.secured" .root) "true" }}
    - name: kafka-credentials
      mountPath: /var/run/secrets/wirestream
      readOnly: true
    {{- end }}
{{- end -}}

{{/* A pod's spec around its containers. */}}
{{- define "wirestream.podSpec" -}}
restartPolicy: {{ .restart }}
terminationGracePeriodSeconds: {{ .grace }}
automountServiceAccountToken: false
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  fsGroup: 10001
  seccompProfile:
    type: RuntimeDefault
containers:
  {{- .containers | nindent 2 }}
volumes:
  - name: data
    emptyDir: {sizeLimit: 256Mi}
  - name: tmp
    emptyDir: {sizeLimit: 64Mi}
  {{- $security := .root.Values.kafka.security }}
  {{- if eq (include "wirestream.secured" .root) "true" }}
  - name: kafka-credentials
    projected:
      sources:
        {{- with $security.passwordSecret.name }}
        - secret:
            name: {{ . }}
            items: [{key: {{ $security.passwordSecret.key }}, path: password}]
        {{- end }}
        {{- with $security.caSecret.name }}
        - secret:
            name: {{ . }}
            items: [{key: {{ $security.caSecret.key }}, path: ca.crt}]
        {{- end }}
  {{- end }}
{{- end -}}
