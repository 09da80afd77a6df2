import { adviseOnServerSettings } from './database-server.repository';

describe('adviseOnServerSettings', () => {
  it('lists the settings, and warns about those below the advised sizes', () => {
    expect(
      adviseOnServerSettings([
        { name: 'max_wal_size', value: '16GB' },
        { name: 'shared_buffers', value: '4GB' },
      ]),
    ).toBe('max_wal_size=16GB, shared_buffers=4GB');
    expect(
      adviseOnServerSettings([
        { name: 'checkpoint_timeout', value: '5min' },
        { name: 'max_wal_size', value: '1GB' },
        { name: 'shared_buffers', value: '128MB' },
      ]),
    ).toBe(
      'checkpoint_timeout=5min, max_wal_size=1GB, shared_buffers=128MB; below README "PostgreSQL settings" ' +
        '(max_wal_size, shared_buffers): normalisation will be slower',
    );
    expect(adviseOnServerSettings([{ name: 'shared_buffers', value: '1024MB' }])).toBe('shared_buffers=1024MB');
  });
});
