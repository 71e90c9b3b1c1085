import { defineModule } from '../../engine/module.js';
import { SettingsResolver } from './settings.resolver.js';
import { settingsRules } from './settings.rules.js';

/** A tenant's settings (time zone, locale, webhook, notification channels) and its public branding. */
export const settingsModule = defineModule({
  name: 'settings',
  resolvers: [SettingsResolver],
  rules: settingsRules,
});
