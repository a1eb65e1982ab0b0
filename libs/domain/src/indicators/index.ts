export * from './indicator-metrics.constant';
export * from './indicator-period.util';
export * from './dossier-facts.util';
export * from './indicator-contributions.util';
export * from './indicator-reducer.util';
export * from './open-dossiers.util';
export * from './indicator-rates.util';
