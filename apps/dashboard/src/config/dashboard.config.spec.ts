import { ConfigValidationException } from '@onestop/config';
import { loadDashboardConfig } from './dashboard.config';

describe('loadDashboardConfig', () => {
  it('should default to port 3005 and the statistics service on 3004, with the page folder found', () => {
    const c = loadDashboardConfig({});
    expect(c).toMatchObject({ port: 3005, host: '127.0.0.1', statisticsUrl: 'http://127.0.0.1:3004', upstreamTimeoutMs: 15_000 });
    expect(c.publicDir.endsWith('apps/dashboard/public')).toBe(true);
  });

  it('should report every bad variable in one error', () => {
    const load = () => loadDashboardConfig({ DASHBOARD_PORT: '70000', STATISTICS_URL: 'ftp://x/y', DASHBOARD_UPSTREAM_TIMEOUT_MS: '5' });
    expect(load).toThrow(ConfigValidationException);
    expect(load).toThrow(/DASHBOARD_PORT[\s\S]*STATISTICS_URL[\s\S]*DASHBOARD_UPSTREAM_TIMEOUT_MS|STATISTICS_URL[\s\S]*DASHBOARD_PORT/);
  });

  it('should strip a trailing slash from STATISTICS_URL', () => {
    expect(loadDashboardConfig({ STATISTICS_URL: 'http://stats:3004/' }).statisticsUrl).toBe('http://stats:3004');
  });
});
