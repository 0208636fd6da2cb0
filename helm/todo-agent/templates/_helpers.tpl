{{/* Names ---------------------------------------------------------------------------------- */}}

{{- define "todo-agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "todo-agent.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* <fullname>-<component>, e.g. todo-agent-api. Call with (dict "root" $ "name" "api"). */}}
{{- define "todo-agent.componentName" -}}
{{- printf "%s-%s" (include "todo-agent.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "todo-agent.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "todo-agent.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "todo-agent.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Labels --------------------------------------------------------------------------------- */}}

{{- define "todo-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "todo-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "todo-agent.labels" -}}
helm.sh/chart: {{ include "todo-agent.chart" . }}
{{ include "todo-agent.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: todo-agent
{{- end }}

{{/* Call with (dict "root" $ "name" "api"). */}}
{{- define "todo-agent.componentSelectorLabels" -}}
{{ include "todo-agent.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "todo-agent.componentLabels" -}}
{{ include "todo-agent.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* Image: repository@digest or repository:tag, never :latest. */}}
{{- define "todo-agent.image" -}}
{{- $img := .Values.image }}
{{- if $img.digest }}
{{- printf "%s@%s" $img.repository $img.digest }}
{{- else }}
{{- if or (not $img.tag) (eq (toString $img.tag) "latest") }}
{{- fail "image.tag must be a pinned version (not empty, not \"latest\"), or set image.digest" }}
{{- end }}
{{- printf "%s:%s" $img.repository (toString $img.tag) }}
{{- end }}
{{- end }}

{{/* Security ------------------------------------------------------------------------------- */}}

{{- define "todo-agent.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurity.runAsUser }}
runAsGroup: {{ .Values.podSecurity.runAsGroup }}
fsGroup: {{ .Values.podSecurity.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The restricted Pod Security Standard, per container. */}}
{{- define "todo-agent.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "todo-agent.podScheduling" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Environment ---------------------------------------------------------------------------- */}}

{{/* The database credential of one component: its own Secret when given (least privilege:
one database role per component, granted only its schemas), else secrets.database.
Call with (dict "root" $ "c" $component); gives a dict with existingSecret and key. */}}
{{- define "todo-agent.databaseRef" -}}
{{- $own := (.c.databaseSecret | default dict) }}
{{- $default := .root.Values.secrets.database }}
{{- $name := $own.existingSecret | default $default.existingSecret }}
{{- $key := $own.key | default $default.key }}
{{- toJson (dict "existingSecret" (required "secrets.database.existingSecret is required" $name) "key" $key) }}
{{- end }}

{{/* The credential of `todo-agent migrate` (DDL rights): secrets.migrations, else
secrets.database. Gives a dict with existingSecret and key. */}}
{{- define "todo-agent.migrationsRef" -}}
{{- $m := .Values.secrets.migrations | default dict }}
{{- $default := .Values.secrets.database }}
{{- $name := $m.existingSecret | default $default.existingSecret }}
{{- $key := $m.key | default $default.key }}
{{- toJson (dict "existingSecret" (required "secrets.database.existingSecret is required" $name) "key" $key) }}
{{- end }}

{{/* Secret-backed env vars of one component: only references, never values, and only the
secrets that component uses (least privilege): the JWT secret to the API that verifies tokens,
SMTP credentials to the notification consumer that sends mail, the Dapr API token to the
components that publish through their sidecar. Call with (dict "root" $ "name" "api" "c" $c). */}}
{{- define "todo-agent.secretEnv" -}}
{{- $v := .root.Values }}
{{- $db := include "todo-agent.databaseRef" . | fromJson }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $db.existingSecret }}
      key: {{ $db.key }}
{{- if eq .name "api" }}
{{- if $v.secrets.jwt.existingSecret }}
- name: JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $v.secrets.jwt.existingSecret }}
      key: {{ $v.secrets.jwt.key }}
{{- /* The secret before a rotation, verify-only during the overlap (runbook §3). */}}
- name: JWT_SECRET_PREVIOUS
  valueFrom:
    secretKeyRef:
      name: {{ $v.secrets.jwt.existingSecret }}
      key: {{ $v.secrets.jwt.key }}_PREVIOUS
      optional: true
{{- else if not $v.config.jwt.jwksUrl }}
{{- fail "set secrets.jwt.existingSecret (HS256) or config.jwt.jwksUrl (RS256/ES256)" }}
{{- end }}
{{- end }}
{{- if eq .name "notification" }}
{{- with $v.secrets.smtp.existingSecret }}
- name: SMTP_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $v.secrets.smtp.usernameKey }}
- name: SMTP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $v.secrets.smtp.passwordKey }}
{{- end }}
{{- end }}
{{- if and $v.dapr.enabled $v.dapr.apiTokenSecret (has .name $v.dapr.pubsub.publishers) }}
- name: DAPR_API_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $v.dapr.apiTokenSecret }}
      key: token
{{- end }}
{{- end }}

{{- define "todo-agent.kafkaBootstrap" -}}
{{- if .Values.localInfra.enabled }}
{{- printf "%s-kafka:9092" (include "todo-agent.fullname" .) }}
{{- else }}
{{- .Values.kafka.bootstrapServers }}
{{- end }}
{{- end }}

{{- define "todo-agent.configName" -}}
{{- printf "%s-config" (include "todo-agent.fullname" .) }}
{{- end }}

{{/* Containers share one /tmp: the root filesystem is read-only. */}}
{{- define "todo-agent.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end }}

{{- define "todo-agent.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* Dapr ----------------------------------------------------------------------------------- */}}

{{- define "todo-agent.daprConfigName" -}}
{{- include "todo-agent.fullname" . }}
{{- end }}

{{/* App ids of the enabled components, as a YAML list. */}}
{{- define "todo-agent.appIds" -}}
{{- range $name := keys .Values.components | sortAlpha }}
{{- $c := get $.Values.components $name }}
{{- if $c.enabled }}
- {{ $c.appId }}
{{- end }}
{{- end }}
{{- end }}

{{/* App ids of the enabled components among .names. Call with (dict "root" $ "names" (list ...)). */}}
{{- define "todo-agent.appIdsOf" -}}
{{- range $name := .names }}
{{- $c := get $.root.Values.components $name }}
{{- if and $c $c.enabled }}
- {{ $c.appId }}
{{- end }}
{{- end }}
{{- end }}

{{/* Sidecar annotations of one component. Call with (dict "root" $ "c" $component). */}}
{{- define "todo-agent.daprAnnotations" -}}
{{- $d := .root.Values.dapr }}
dapr.io/enabled: "true"
dapr.io/app-id: {{ .c.appId | quote }}
dapr.io/app-port: {{ .c.port | quote }}
dapr.io/app-protocol: "http"
dapr.io/config: {{ include "todo-agent.daprConfigName" .root | quote }}
dapr.io/enable-app-health-check: "true"
dapr.io/app-health-check-path: {{ $d.appHealth.path | quote }}
dapr.io/app-health-probe-interval: {{ $d.appHealth.probeIntervalSeconds | quote }}
dapr.io/app-health-probe-timeout: {{ $d.appHealth.probeTimeoutMs | quote }}
dapr.io/app-health-threshold: {{ $d.appHealth.threshold | quote }}
dapr.io/sidecar-cpu-request: {{ $d.sidecar.resources.requests.cpu | quote }}
dapr.io/sidecar-memory-request: {{ $d.sidecar.resources.requests.memory | quote }}
dapr.io/sidecar-cpu-limit: {{ $d.sidecar.resources.limits.cpu | quote }}
dapr.io/sidecar-memory-limit: {{ $d.sidecar.resources.limits.memory | quote }}
dapr.io/sidecar-seccomp-profile-type: "RuntimeDefault"
dapr.io/log-level: {{ $d.logLevel | quote }}
dapr.io/log-as-json: {{ $d.logAsJson | quote }}
dapr.io/enable-metrics: {{ $d.metrics.enabled | quote }}
dapr.io/metrics-port: {{ $d.metricsPort | quote }}
{{- with $d.apiTokenSecret }}
dapr.io/api-token-secret: {{ . | quote }}
{{- end }}
{{- end }}

{{/* Labels for Dapr resources: stable across chart versions so dapr/ can mirror them. */}}
{{- define "todo-agent.daprLabels" -}}
app.kubernetes.io/part-of: todo-agent
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* A probe block. Call with (dict "path" "/health" "p" $probe "port" "http"). */}}
{{- define "todo-agent.httpProbe" -}}
httpGet:
  path: {{ .path }}
  port: http
{{- with .p }}
{{- with .initialDelaySeconds }}
initialDelaySeconds: {{ . }}
{{- end }}
periodSeconds: {{ .periodSeconds | default 10 }}
timeoutSeconds: {{ .timeoutSeconds | default 3 }}
failureThreshold: {{ .failureThreshold | default 3 }}
{{- end }}
{{- end }}

{{/* Names of the Secrets Dapr itself reads through the secret store (its components'
secretKeyRefs), as a YAML list (unique, sorted). The pods' env secrets are resolved by the
kubelet and need no API access: the JWT and SMTP secrets are not readable through Dapr. */}}
{{- define "todo-agent.secretNames" -}}
{{- $v := .Values }}
{{- $names := list $v.kafka.auth.existingSecret $v.dapr.apiTokenSecret }}
{{- if $v.dapr.statestore.enabled }}
{{- $api := include "todo-agent.databaseRef" (dict "root" . "c" $v.components.api) | fromJson }}
{{- $names = append $names ($v.dapr.statestore.existingSecret | default $api.existingSecret) }}
{{- end }}
{{- range $names | compact | uniq | sortAlpha }}
- {{ . }}
{{- end }}
{{- end }}
