export * from './code-format.exception';
export * from './dossier-code.util';
export * from './procedure-code.util';
export * from './sector-code.util';
