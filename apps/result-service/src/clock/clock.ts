// The shared clock abstraction lives in @onestop/domain (time/clock.ts); re-exported for this app's modules.
export { CLOCK, ManualClock, SystemClock, type Clock } from '@onestop/domain';
