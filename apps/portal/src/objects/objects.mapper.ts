import { VisibleObjectVersion } from '@vigia/database';
import { StixObjectsDto } from './dto/object-answers.dto';

/** Stored versions → the envelope: each object exactly as stored, nothing added. */
export const toStixObjectsDto = (versions: readonly VisibleObjectVersion[]): StixObjectsDto => ({
  objects: versions.map((version) => version.object),
});
