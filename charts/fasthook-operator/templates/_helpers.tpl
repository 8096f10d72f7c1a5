{{/*
Name that prefixes every object: fullnameOverride, else the release name, with "-fasthook" appended when the
release name does not contain "fasthook". Kubernetes names are at most 63 characters, and the longest suffixes
added to it are "-gateway-settings" and "-operator-metrics" (17), so the prefix is cut at 46.
*/}}
{{- define "fasthook.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 46 | trimSuffix "-" -}}
{{- else if contains "fasthook" .Release.Name -}}
{{- .Release.Name | trunc 46 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-fasthook" .Release.Name | trunc 46 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "fasthook.operator.fullname" -}}
{{- printf "%s-operator" (include "fasthook.fullname" .) -}}
{{- end -}}

{{- define "fasthook.gateway.fullname" -}}
{{- printf "%s-gateway" (include "fasthook.fullname" .) -}}
{{- end -}}

{{- define "fasthook.redis.fullname" -}}
{{- printf "%s-redis" (include "fasthook.fullname" .) -}}
{{- end -}}

{{- define "fasthook.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "fasthook.operator.fullname" .) -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false: name the operator's existing ServiceAccount" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
Labels on every object. The name label is "fasthook" for every component, because the operator puts the same
value on the gateway pods it creates, and the component label tells the parts apart.
*/}}
{{- define "fasthook.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: fasthook
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: fasthook
{{- end -}}

{{/*
Selector labels of one component. Call with (dict "context" $ "component" "operator").
*/}}
{{- define "fasthook.selectorLabels" -}}
app.kubernetes.io/name: fasthook
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/*
Image reference "repository:tag" or "repository@digest". Call with (dict "image" <image values> "context" $).
*/}}
{{- define "fasthook.imageReference" -}}
{{- if .image.digest -}}
{{- printf "%s@%s" .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" .image.repository (.image.tag | default .context.Chart.AppVersion | toString) -}}
{{- end -}}
{{- end -}}

{{/*
The gateway image: gateway.image.* where set, else image.*, with the tag defaulting to the chart's appVersion.
*/}}
{{- define "fasthook.gateway.image" -}}
{{- $repository := .Values.gateway.image.repository | default .Values.image.repository -}}
{{- $tag := .Values.gateway.image.tag | default .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- $digest := .Values.gateway.image.digest | default .Values.image.digest -}}
{{- $pullPolicy := .Values.gateway.image.pullPolicy | default .Values.image.pullPolicy -}}
{{- toJson (dict "repository" $repository "tag" $tag "digest" $digest "pullPolicy" $pullPolicy) -}}
{{- end -}}

{{/*
Checks that exactly one Redis is chosen and returns "external-url", "existing-secret" or "bundled".
*/}}
{{- define "fasthook.redis.mode" -}}
{{- $chosen := list -}}
{{- if .Values.redis.external.url -}}
{{- $chosen = append $chosen "redis.external.url" -}}
{{- end -}}
{{- if .Values.redis.external.existingSecret.name -}}
{{- $chosen = append $chosen "redis.external.existingSecret.name" -}}
{{- end -}}
{{- if .Values.redis.bundled.enabled -}}
{{- $chosen = append $chosen "redis.bundled.enabled" -}}
{{- end -}}
{{- if eq (len $chosen) 0 -}}
{{- fail "No Redis is configured: set redis.external.url, redis.external.existingSecret.name, or redis.bundled.enabled=true." -}}
{{- else if gt (len $chosen) 1 -}}
{{- fail (printf "Several Redis choices are set (%s): keep exactly one, for example set redis.bundled.enabled=false when using an external Redis." (join ", " $chosen)) -}}
{{- else if .Values.redis.external.url -}}
external-url
{{- else if .Values.redis.external.existingSecret.name -}}
existing-secret
{{- else -}}
bundled
{{- end -}}
{{- end -}}

{{/*
Name and key of the Secret that contains the Redis URL, as JSON {"name": ..., "key": ...}.
*/}}
{{- define "fasthook.redis.urlSecretRef" -}}
{{- $mode := include "fasthook.redis.mode" . -}}
{{- if eq $mode "existing-secret" -}}
{{- toJson (dict "name" .Values.redis.external.existingSecret.name "key" .Values.redis.external.existingSecret.key) -}}
{{- else -}}
{{- toJson (dict "name" (printf "%s-url" (include "fasthook.redis.fullname" .)) "key" "url") -}}
{{- end -}}
{{- end -}}

{{/*
The operator's instance name for the gateway: the fullname. The operator names the gateway objects
"<instance>-gateway", "<instance>-gateway-metrics", "<instance>-gateway-routes" and "<instance>-gateway-secrets",
and sets it as app.kubernetes.io/instance on them, so two releases in one namespace do not collide.
*/}}
{{- define "fasthook.gateway.instance" -}}
{{- include "fasthook.fullname" . -}}
{{- end -}}

{{/*
Labels of the gateway pods the operator creates, which the PodMonitor and topology spread constraints select.
The operator sets app.kubernetes.io/instance to the settings' instance, not to the release name.
*/}}
{{- define "fasthook.gateway.selectorLabels" -}}
app.kubernetes.io/name: fasthook
app.kubernetes.io/instance: {{ include "fasthook.gateway.instance" . }}
app.kubernetes.io/component: gateway
{{- end -}}

{{- define "fasthook.gateway.serviceAccountName" -}}
{{- if .Values.gateway.serviceAccount.create -}}
{{- .Values.gateway.serviceAccount.name | default (include "fasthook.gateway.fullname" .) -}}
{{- else -}}
{{- required "gateway.serviceAccount.name is required when gateway.serviceAccount.create is false: name the gateway's existing ServiceAccount" .Values.gateway.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
Name and key of the Secret that contains the gateway's admin API token, as JSON {"name": ..., "key": ...}.
*/}}
{{- define "fasthook.gateway.adminTokenSecretRef" -}}
{{- $existing := .Values.gateway.adminToken.existingSecret -}}
{{- if $existing.name -}}
{{- toJson (dict "name" $existing.name "key" $existing.key) -}}
{{- else -}}
{{- toJson (dict "name" (printf "%s-admin-token" (include "fasthook.fullname" .)) "key" "token") -}}
{{- end -}}
{{- end -}}

{{/*
redis.conf of the bundled Redis. The password, when auth is enabled, comes from a Secret through "include".
*/}}
{{- define "fasthook.redis.config" -}}
# Rendered by the fasthook-operator chart.
bind * -::*
protected-mode no
port 6379
dir /data
# Every write goes to the append-only file. docs/helm.md says what each appendfsync policy keeps after a crash.
appendonly yes
appendfsync {{ .Values.redis.bundled.appendfsync }}
# Evicting keys would silently drop requests and events, so Redis rejects writes when memory is full.
maxmemory-policy noeviction
{{- with .Values.redis.bundled.maxmemory }}
maxmemory {{ . }}
{{- end }}
{{- if .Values.redis.bundled.auth.enabled }}
include /etc/redis-auth/auth.conf
{{- end }}
{{- end -}}
