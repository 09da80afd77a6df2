// Entry point for the TypeORM CLI (`npm run migration:generate`), reading the same validated config as the apps.
import 'reflect-metadata';
import { loadConfigOrExit } from '@vigia/config';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

export default new DataSource(dataSourceOptions(loadConfigOrExit().database));
