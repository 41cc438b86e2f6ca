// PostgreSQL with ruvector in a container, for your own tests, through testcontainers (pinned
// 11.14.0: the last release that runs on Node 20). The image is postgres/Dockerfile, built once:
//   docker build -f postgres/Dockerfile --build-arg PG_MAJOR=18 -t ruvector-postgres:18 .
// or built here by passing `build: { context: '/path/to/ruvector' }`.
// Without a Docker engine nothing can start: call containerRuntime() first and skip with its
// `reason` (see test/testcontainers.test.js), so a machine without Docker skips instead of failing.
import { GenericContainer, Wait, getContainerRuntimeClient } from 'testcontainers'

export const DEFAULT_IMAGE = 'ruvector-postgres:18'

/** Is a container engine reachable? `reason` says which one, or why not and what to do. */
export async function containerRuntime() {
  try {
    const client = await getContainerRuntimeClient()
    return { available: true, reason: `container runtime at ${client.info.containerRuntime.host}` }
  } catch (error) {
    return {
      available: false,
      reason: `no Docker engine reachable (testcontainers: ${error.message}); ` +
        'start Docker, or set DOCKER_HOST, to run the ruvector container tests',
    }
  }
}

/**
 * Start PostgreSQL with ruvector installed, and (unless createExtension is false) run
 * CREATE EXTENSION ruvector in `database`. Stop it with `stop()`.
 */
export async function startRuvectorPostgres(options = {}) {
  const {
    image = process.env.RUVECTOR_POSTGRES_IMAGE ?? DEFAULT_IMAGE,
    build,
    user = 'postgres',
    password = 'ruvector',
    database = 'postgres',
    createExtension = true,
    startupTimeoutMs = 120_000,
  } = options
  const container = build
    ? await GenericContainer.fromDockerfile(build.context, build.dockerfile ?? 'postgres/Dockerfile')
        .withBuildArgs({ PG_MAJOR: String(build.pgMajor ?? 18) })
        .build(image, { deleteOnExit: false })
    : new GenericContainer(image)
  const started = await container
    .withEnvironment({ POSTGRES_USER: user, POSTGRES_PASSWORD: password, POSTGRES_DB: database })
    .withExposedPorts(5432)
    // The image's entrypoint runs a temporary server for initdb, then the real one: wait for both.
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .withStartupTimeout(startupTimeoutMs)
    .start()
  try {
    if (createExtension) {
      const result = await started.exec(
        ['psql', '-v', 'ON_ERROR_STOP=1', '-U', user, '-d', database, '-c', 'CREATE EXTENSION IF NOT EXISTS ruvector'])
      if (result.exitCode !== 0) throw new Error(`CREATE EXTENSION ruvector failed in ${image}: ${result.output}`)
    }
  } catch (error) {
    await started.stop()
    throw error
  }
  const host = started.getHost()
  const port = started.getMappedPort(5432)
  return {
    container: started,
    host,
    port,
    connectionUri: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(database)}`,
    stop: () => started.stop(),
  }
}
