import { InFlightValues } from './in-flight-values';

describe('InFlightValues', () => {
  it('tells a later job which earlier jobs share its values, and which values', () => {
    const registry = new InFlightValues();
    expect(registry.register('r1', ['a', 'b', 'c'])).toEqual({ dependsOn: [], shared: new Set() });
    expect(registry.register('r2', ['d', 'e'])).toEqual({ dependsOn: [], shared: new Set() });
    expect(registry.register('r3', ['c', 'e', 'f'])).toEqual({ dependsOn: ['r1', 'r2'], shared: new Set(['c', 'e']) });
    expect(registry.register('r4', ['f', 'z'])).toEqual({ dependsOn: ['r3'], shared: new Set(['f']) });
  });

  it('forgets a job once released, so later jobs no longer wait for it', () => {
    const registry = new InFlightValues();
    registry.register('r1', ['a', 'b']);
    registry.register('r2', ['b']);
    registry.release('r1');
    expect(registry.register('r3', ['a', 'b'])).toEqual({ dependsOn: ['r2'], shared: new Set(['b']) });
    registry.release('r2');
    registry.release('r3');
    expect(registry.size).toBe(0);
    expect(registry.register('r4', ['a', 'b'])).toEqual({ dependsOn: [], shared: new Set() });
  });

  it('refuses to register a job twice', () => {
    const registry = new InFlightValues();
    registry.register('r1', ['a']);
    expect(() => registry.register('r1', ['a'])).toThrow(/already registered/);
    registry.release('unknown');
  });
});
