/**
 * There is no container engine here, so the deployment files are checked for what the running
 * processes (the other tests of this directory) rely on: the same port, rules directory, limits
 * and timeouts, and files that exist.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import YAML from 'yaml';
import { loadConfig } from '../../src/config';
import { REPO_ROOT } from '../paths';

const read = (p: string) => readFileSync(resolve(REPO_ROOT, p), 'utf8');
const defaults = loadConfig({}, REPO_ROOT);
/** "20s", "1g" and the like in seconds or bytes. */
const seconds = (s: string) => Number(/^(\d+)s$/.exec(s)?.[1]);

describe('docker-compose.yml', () => {
  const compose = YAML.parse(read('docker-compose.yml'));
  const service = compose.services.declutter;
  const nginx = compose.services.nginx;

  it('runs several replicas on one PostgreSQL store, behind nginx, with one published port', () => {
    expect(service.deploy.replicas).toBeGreaterThanOrEqual(2);
    expect(service.ports).toBeUndefined();
    // The sets are in the database; the image's rules directory gives the models and the seed.
    expect(service.volumes).toBeUndefined();
    expect(service.environment.DECLUTTER_RULES_DIR).toBe('/app/rules');
    expect(read('Dockerfile')).toMatch(/^COPY migrations \.\/migrations$/m);
    const store = new URL(service.environment.DECLUTTER_STORE.replace('${POSTGRES_PASSWORD:-declutter}', 'pw'));
    expect(store.protocol).toBe('postgres:');
    expect(store.hostname).toBe('postgres');
    expect(loadConfig({ DECLUTTER_STORE: store.href }, REPO_ROOT).storeUrl).toBe(store.href);
    const postgres = compose.services.postgres;
    expect(store.port).toBe(postgres.expose[0]);
    expect([store.username, store.pathname]).toEqual([postgres.environment.POSTGRES_USER, `/${postgres.environment.POSTGRES_DB}`]);
    expect(postgres.ports).toBeUndefined();
    expect(postgres.volumes).toEqual(['pgdata:/var/lib/postgresql/data']);
    expect(service.depends_on.postgres.condition).toBe('service_healthy');
    expect(postgres.healthcheck.test).toContain('pg_isready');
    expect(Object.keys(compose.volumes)).toEqual(['pgdata']);
    expect(nginx.ports).toEqual(['8080:8080']);
    expect(nginx.depends_on.declutter.condition).toBe('service_healthy');
    expect(service.healthcheck.test.join(' ')).toContain('/readyz');
  });

  it('mounts nginx files that exist, and gives a stop longer than the drain', () => {
    for (const mount of nginx.volumes as string[]) expect(existsSync(resolve(REPO_ROOT, mount.split(':')[0]))).toBe(true);
    expect(read('deploy/nginx/nginx.conf')).toContain('include /etc/nginx/declutter/declutter.conf;');
    expect(nginx.volumes).toContain('./deploy/nginx/declutter.conf:/etc/nginx/declutter/declutter.conf:ro');
    expect(seconds(service.stop_grace_period) * 1000).toBeGreaterThan(defaults.shutdownTimeoutMs + defaults.shutdownDelayMs);
  });
});

describe('deploy/nginx', () => {
  const server = read('deploy/nginx/declutter.conf');
  const main = read('deploy/nginx/nginx.conf');

  it('streams batches both ways with a long read timeout, and takes bodies as large as the batch limit', () => {
    const batch = /location = \/v1\/clean\/batch \{([^}]*)\}/.exec(server)![1];
    expect(batch).toMatch(/proxy_buffering off;/);
    expect(batch).toMatch(/proxy_request_buffering off;/);
    expect(seconds(/proxy_read_timeout (\d+s);/.exec(batch)![1])).toBeGreaterThanOrEqual(600);
    const body = /client_max_body_size (\d+)g;/.exec(server);
    expect(Number(body![1]) * 1024 ** 3).toBeGreaterThanOrEqual(defaults.batchBodyLimit);
  });

  it('closes idle upstream connections before the service would', () => {
    expect(seconds(/keepalive_timeout (\d+s);/.exec(main)![1]) * 1000).toBeLessThan(defaults.keepAliveTimeoutMs);
  });
});

describe('deploy/k8s', () => {
  const deployment = YAML.parse(read('deploy/k8s/deployment.yaml'));
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));

  it('probes readiness on /readyz and liveness on /healthz, runs as non-root with resources', () => {
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(container.resources.requests.cpu).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
  });

  it('gives a termination grace longer than the not-ready delay plus the drain', () => {
    const shutdownMs = Number(env.DECLUTTER_SHUTDOWN_DELAY_MS) + Number(env.DECLUTTER_SHUTDOWN_TIMEOUT_MS);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(shutdownMs);
    // Readiness must fail (periods × threshold) before the delay ends, or traffic still arrives at the drain.
    expect(container.readinessProbe.periodSeconds * container.readinessProbe.failureThreshold * 1000).toBeLessThan(Number(env.DECLUTTER_SHUTDOWN_DELAY_MS));
  });

  it('documents the PostgreSQL store for fleets that write: a patch of the same container, the URL from a Secret', () => {
    const patch = YAML.parse(read('deploy/k8s/postgres/store-patch.yaml'));
    const patched = patch.spec.template.spec.containers;
    expect(patched.map((c: { name: string }) => c.name)).toEqual([container.name]);
    const envOf = (name: string) => patched[0].env.find((e: { name: string }) => e.name === name);
    expect(envOf('DECLUTTER_STORE').valueFrom.secretKeyRef).toEqual({ name: 'declutter-store', key: 'url' });
    expect(envOf('DECLUTTER_ADMIN_TOKEN').valueFrom.secretKeyRef).toBeDefined();
    // The read-only ConfigMap way leaves writes off.
    expect(env.DECLUTTER_ADMIN_TOKEN).toBeUndefined();
    expect(read('deploy/k8s/README.md')).toContain('kubectl patch deployment declutter --patch-file deploy/k8s/postgres/store-patch.yaml');
  });

  it('reads the rules from the ConfigMap volume, and autoscales on CPU', () => {
    const mount = container.volumeMounts.find((m: { name: string }) => m.name === 'rules');
    expect(mount.mountPath).toBe(env.DECLUTTER_RULES_DIR);
    expect(pod.volumes.find((v: { name: string }) => v.name === 'rules').configMap.name).toBe('declutter-rules');
    // The models the sets name (models/NAME.yaml) sit in a folder, which a ConfigMap cannot hold.
    const models = container.volumeMounts.find((m: { name: string }) => m.name === 'models');
    expect(models.mountPath).toBe(`${env.DECLUTTER_RULES_DIR}/models`);
    expect(pod.volumes.find((v: { name: string }) => v.name === 'models').configMap.name).toBe('declutter-models');
    const hpa = YAML.parse(read('deploy/k8s/hpa.yaml'));
    expect(hpa.spec.scaleTargetRef.name).toBe(deployment.metadata.name);
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  it('builds in one stage and runs as a numeric non-root user in another, with a health check', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/cli\.js", "serve"\]$/m);
  });
});
