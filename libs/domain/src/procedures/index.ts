export * from './procedure.type';
export * from './procedure-catalogue.exception';
export * from './sample-procedures.data';
export * from './procedure.catalogue';
