import { CliFailure, failureLine, postgresTarget, redisTarget, splitVerbose } from './cli-failure';

describe('statistics CLIs: failure reporting helpers', () => {
  it('should take --verbose / -v off the arguments and read DEBUG=1 or DEBUG=true', () => {
    expect(splitVerbose(['--verbose'], {})).toEqual({ verbose: true, args: [] });
    expect(splitVerbose(['-v', '--topic'], {})).toEqual({ verbose: true, args: ['--topic'] });
    expect(splitVerbose([], { DEBUG: '1' })).toEqual({ verbose: true, args: [] });
    expect(splitVerbose([], { DEBUG: 'true' })).toEqual({ verbose: true, args: [] });
    expect(splitVerbose(['--help'], { DEBUG: '0' })).toEqual({ verbose: false, args: ['--help'] });
  });

  it('should name a database by host, port and name, never by its user or password', () => {
    expect(postgresTarget('postgres://svc:s3cret@db.internal:6543/stats?sslmode=require')).toBe('db.internal:6543/stats');
    expect(postgresTarget('postgres://postgres@127.0.0.1/onestop')).toBe('127.0.0.1:5432/onestop');
    expect(postgresTarget('not a url')).not.toContain('not a url');
  });

  it('should name a Redis by host, port and logical database, never by its user or password', () => {
    expect(redisTarget('redis://ops:s3cret@cache.internal:6380/4')).toBe('cache.internal:6380/4');
    expect(redisTarget('redis://127.0.0.1')).toBe('127.0.0.1:6379/0');
    expect(redisTarget('not a url')).not.toContain('not a url');
  });

  it('should summarise a known failure by its line and any other error by its first message line', () => {
    expect(failureLine(new CliFailure('topic t does not exist on the broker(s) b:1: check STATS_TOPIC'))).toBe('topic t does not exist on the broker(s) b:1: check STATS_TOPIC');
    expect(failureLine(new Error('boom\n  more detail'))).toBe('failed: boom (run again with --verbose or DEBUG=1 for the details)');
  });
});
