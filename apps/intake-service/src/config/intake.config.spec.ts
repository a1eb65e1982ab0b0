import { loadIntakeConfig } from './intake.config';

describe('intake config: lifecycle consumer', () => {
  it('should run the lifecycle consumer by default in group intake-service.lifecycle', () => {
    expect(loadIntakeConfig({}).lifecycleConsumer).toEqual({ enabled: true, groupId: 'intake-service.lifecycle' });
  });

  it('should turn it off with INTAKE_LIFECYCLE_CONSUMER=false and take another group', () => {
    expect(loadIntakeConfig({ INTAKE_LIFECYCLE_CONSUMER: 'false', INTAKE_LIFECYCLE_GROUP_ID: 'g1' }).lifecycleConsumer).toEqual({ enabled: false, groupId: 'g1' });
  });

  it('should refuse a value that is not a boolean, naming the variable', () => {
    expect(() => loadIntakeConfig({ INTAKE_LIFECYCLE_CONSUMER: 'maybe' })).toThrow(/INTAKE_LIFECYCLE_CONSUMER/);
  });
});
