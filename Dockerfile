# declutter: build the TypeScript and the dashboard, then ship only the compiled code, the
# production dependencies and the default rules, running as an unprivileged user.
#   docker build -t declutter .          docker run -p 8080:8080 declutter
#   docker build --build-arg NATIVE_RE2=1 -t declutter .   # user patterns on the native RE2 (C++ build, minutes)
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No native code: user-written patterns run on re2js (pure JavaScript RE2).
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build checks the packaged rules once (scripts/precheck-rules.js), so that starts need not.
COPY scripts/precheck-rules.js ./scripts/
COPY rules ./rules
RUN npm run build && npm prune --omit=dev
# Opt-in: the native re2 addon runs user patterns faster; built from C++ (python3, make, g++), after
# the prune (which would remove it: it is not in package.json). The service picks it up when present.
ARG NATIVE_RE2=0
RUN if [ "$NATIVE_RE2" = 1 ]; then \
      apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/* && \
      npm install --no-save --omit=dev --no-audit --no-fund re2@1.22.3 && node -e "require('re2')"; \
    fi

FROM node:22-bookworm-slim
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0 DECLUTTER_RULES_DIR=/app/rules
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY rules ./rules
# The SQL the PostgreSQL rule-set store applies at start (DECLUTTER_STORE=postgres://...).
COPY migrations ./migrations
# The rules directory is written by PUT /v1/rulesets (new versions, .history, .locks): owned by the
# service's user. A named volume mounted here starts as a copy of it, ownership included.
RUN chown -R node:node /app/rules
# Numeric (the image's "node" user): Kubernetes' runAsNonRoot can only verify a numeric user.
USER 1000:1000
EXPOSE 8080
# SIGTERM starts the graceful drain (docs/operations.md); orchestrators send it on stop.
STOPSIGNAL SIGTERM
# Liveness only: the process answers. Readiness (/readyz) is for load balancers and compose's depends_on.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/cli.js", "serve"]
