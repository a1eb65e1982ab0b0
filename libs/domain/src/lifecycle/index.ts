export * from './dossier-lifecycle.type';
export * from './dossier-transitions.constant';
export * from './invalid-transition.exception';
export * from './dossier-state.machine';
export * from './concurrent-status.util';
