export default async function globalTeardown(): Promise<void> {
  await globalThis.__ONESTOP_INFRA__?.stop();
}
