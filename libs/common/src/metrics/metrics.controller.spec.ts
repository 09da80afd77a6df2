import { Environment, loadConfig } from '@vigia/config';
import { VigiaException } from '../errors/vigia.exception';
import { MetricsController } from './metrics.controller';

const controllerWith = (env: NodeJS.ProcessEnv) => new MetricsController(loadConfig({ NODE_ENV: 'test', ...env }));
const production = { ...loadConfig({}), environment: Environment.Production };

describe('MetricsController', () => {
  it('is open outside production without a token, and absent in production without one', async () => {
    await expect(controllerWith({}).metrics(undefined)).resolves.toEqual(expect.any(String));
    expect(() => new MetricsController(production).metrics(undefined)).toThrow(VigiaException);
    expect(() => new MetricsController(production).metrics(undefined)).toThrow(/Not found/);
  });

  it('with METRICS_TOKEN, answers only the bearer of that token', async () => {
    const token = 'a-metrics-token-of-some-length';
    const controller = controllerWith({ METRICS_TOKEN: token });
    expect(() => controller.metrics(undefined)).toThrow(/METRICS_TOKEN/);
    expect(() => controller.metrics(`Bearer ${token}x`)).toThrow(/METRICS_TOKEN/);
    await expect(controller.metrics(`Bearer ${token}`)).resolves.toEqual(expect.any(String));
    const productionWithToken = new MetricsController({
      ...production,
      http: { ...production.http, metricsToken: token },
    });
    await expect(productionWithToken.metrics(`Bearer ${token}`)).resolves.toEqual(expect.any(String));
  });
});
