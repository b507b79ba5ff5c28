"""Core messages (errors, statuses, roles) in English and Russian."""

from imf.i18n import Catalog

EN = {
    "core.invalid_severity": "invalid severity '{value}'; valid: {valid}",
    "core.secret_env_missing": "{where}: {key}: environment variable {name} is not set",
    "core.secret_file_unreadable": "{where}: {key}: cannot read secret file {path}: {reason}",
    "core.secret_malformed": (
        '{where}: {key}: a secret must be {{ env = "NAME" }} or {{ file = "PATH" }}'
    ),
    "core.config_expected_table": "{where}: {key}: expected a table",
    "core.config_unknown_key": "{where}: {key}: unknown key (known: {known})",
    "core.config_missing_key": "{where}: {key}: required key is missing",
    "core.config_invalid_value": "{where}: {key}: invalid value: {reason}",
    "core.config_not_one_of": "{where}: {key}: '{value}' is not one of: {valid}",
    "core.config_wrong_type": "{where}: {key}: expected {expected}",
    "core.config_expected_str": "{where}: {key}: expected a string",
    "core.config_expected_int": "{where}: {key}: expected an integer",
    "core.config_expected_float": "{where}: {key}: expected a number",
    "core.config_expected_bool": "{where}: {key}: expected true or false",
    "core.config_expected_list": "{where}: {key}: expected a list",
    "core.config_bad_duration": (
        "{where}: {key}: expected a duration such as '15m', '2h' or '1d', got {value!r}"
    ),
    "core.config_syntax": "{where}:{line}:{column}: invalid TOML: {reason}",
    "core.config_not_utf8": "{where}: the file is not UTF-8 text",
    "core.config_unreadable": "{where}: cannot read the file: {reason}",
    "core.config_not_found": "{where}: configuration file not found",
    "core.config_unknown_plugin": (
        "{where}: {key}: no such plugin is installed (installed: {installed})"
    ),
    "core.plugin_unknown_blocked": (
        "cannot block unknown plugin '{name}' (installed: {installed})"
    ),
    "core.plugin_import_failed": (
        "plugin '{name}' failed to load: {reason} (skip it with -p no:{name})"
    ),
    "core.plugin_invalid": "plugin '{name}' is invalid: {reason} (skip it with -p no:{name})",
    "core.plugin_flag_invalid": "-p takes no:NAME to block a plugin, got '{flag}'",
    "core.plugin_command_clash": "plugin '{name}' adds command '{command}', which already exists",
    "core.no_severity_policy": (
        "no severity policy is active: enable the 'severity' plugin or install one that "
        "provides imf_severity_policy"
    ),
    "core.incident_not_found": "incident {id} not found",
    "core.store_bad_url": "unsupported store URL '{url}' (use sqlite:///PATH or postgresql://...)",
    "core.store_open_failed": "cannot open store {url}: {reason}",
    "core.store_write_failed": "cannot write to store {url}: {reason}",
    "core.store_too_new": (
        "store {url} has schema version {found}; this imf supports up to {supported}: upgrade imf"
    ),
    "core.invalid_role": "invalid role '{value}'; valid: {valid}",
    "core.invalid_status": "invalid status '{value}'; valid: {valid}",
    "core.empty_value": "{what} must not be empty",
    "core.value_too_long": "{what} is longer than {limit} characters",
    "core.invalid_users_affected": "users affected must be a percentage from 0 to 100, got {value}",
    "core.update_use_resolve": "use 'imf resolve' to resolve an incident",
    "core.invalid_root_cause": "invalid root cause state '{value}'; valid: {valid}",
    "core.incident_resolved": "incident {id} is resolved (reopen it first)",
    "core.update_empty": "an update needs a summary, a status, progress or a public message",
    "core.severity_unchanged": "incident {id} is already {severity}",
    "core.role_already_held": "{person} already holds {role} on {id}",
    "core.role_not_held": "nobody holds {role} on {id}",
    "core.already_acknowledged": "incident {id} is already acknowledged",
    "core.incident_not_resolved": "incident {id} is not resolved",
    "core.invalid_incident_id": "invalid incident id '{value}' (expected INC-<number>)",
    "core.invalid_time": "invalid time '{value}' (use ISO 8601, HH:MM in UTC, or +30m)",
    "core.init_exists": "{path} already exists (use --force to overwrite it)",
    "core.delivery_not_found": "delivery {id} not found",
    "core.status.investigating": "investigating",
    "core.status.identified": "identified",
    "core.status.mitigating": "mitigating",
    "core.status.monitoring": "monitoring",
    "core.status.resolved": "resolved",
    "core.role.commander": "Incident Commander",
    "core.role.tech-lead": "Technical Lead",
    "core.role.comms-lead": "Communications Lead",
    "core.role.ops-lead": "Operations Lead",
    "core.role.planning-lead": "Planning Lead",
    "core.role.scribe": "Scribe",
    "core.role.liaison": "Customer Liaison",
    "core.role.sme": "Subject Matter Expert",
}

RU = {
    "core.invalid_severity": "недопустимый уровень серьёзности '{value}'; допустимые: {valid}",
    "core.secret_env_missing": "{where}: {key}: переменная окружения {name} не задана",
    "core.secret_file_unreadable": "{where}: {key}: не удаётся прочитать файл секрета {path}: {reason}",
    "core.secret_malformed": (
        '{where}: {key}: секрет задаётся как {{ env = "ИМЯ" }} или {{ file = "ПУТЬ" }}'
    ),
    "core.config_expected_table": "{where}: {key}: ожидается таблица",
    "core.config_unknown_key": "{where}: {key}: неизвестный ключ (известные: {known})",
    "core.config_missing_key": "{where}: {key}: не задан обязательный ключ",
    "core.config_invalid_value": "{where}: {key}: недопустимое значение: {reason}",
    "core.config_not_one_of": "{where}: {key}: '{value}' не входит в: {valid}",
    "core.config_wrong_type": "{where}: {key}: ожидается {expected}",
    "core.config_expected_str": "{where}: {key}: ожидается строка",
    "core.config_expected_int": "{where}: {key}: ожидается целое число",
    "core.config_expected_float": "{where}: {key}: ожидается число",
    "core.config_expected_bool": "{where}: {key}: ожидается true или false",
    "core.config_expected_list": "{where}: {key}: ожидается список",
    "core.config_bad_duration": (
        "{where}: {key}: ожидается длительность вида '15m', '2h' или '1d', а не {value!r}"
    ),
    "core.config_syntax": "{where}:{line}:{column}: ошибка синтаксиса TOML: {reason}",
    "core.config_not_utf8": "{where}: файл не в кодировке UTF-8",
    "core.config_unreadable": "{where}: не удаётся прочитать файл: {reason}",
    "core.config_not_found": "{where}: файл конфигурации не найден",
    "core.config_unknown_plugin": (
        "{where}: {key}: такой плагин не установлен (установлены: {installed})"
    ),
    "core.plugin_unknown_blocked": (
        "нельзя отключить неизвестный плагин '{name}' (установлены: {installed})"
    ),
    "core.plugin_import_failed": (
        "плагин '{name}' не загрузился: {reason} (пропустить: -p no:{name})"
    ),
    "core.plugin_invalid": "плагин '{name}' некорректен: {reason} (пропустить: -p no:{name})",
    "core.plugin_flag_invalid": "-p принимает no:ИМЯ для отключения плагина, получено '{flag}'",
    "core.plugin_command_clash": "плагин '{name}' добавляет команду '{command}', которая уже есть",
    "core.no_severity_policy": (
        "нет активной политики серьёзности: включите плагин 'severity' или установите плагин "
        "с imf_severity_policy"
    ),
    "core.incident_not_found": "инцидент {id} не найден",
    "core.store_bad_url": (
        "неподдерживаемый адрес хранилища '{url}' (sqlite:///ПУТЬ или postgresql://...)"
    ),
    "core.store_open_failed": "не удаётся открыть хранилище {url}: {reason}",
    "core.store_write_failed": "не удаётся записать в хранилище {url}: {reason}",
    "core.store_too_new": (
        "хранилище {url} имеет схему версии {found}; эта версия imf поддерживает до {supported}: "
        "обновите imf"
    ),
    "core.invalid_role": "недопустимая роль '{value}'; допустимые: {valid}",
    "core.invalid_status": "недопустимый статус '{value}'; допустимые: {valid}",
    "core.empty_value": "{what}: значение не может быть пустым",
    "core.value_too_long": "{what}: длиннее {limit} символов",
    "core.invalid_users_affected": (
        "доля затронутых пользователей — процент от 0 до 100, получено {value}"
    ),
    "core.update_use_resolve": "чтобы закрыть инцидент, используйте 'imf resolve'",
    "core.invalid_root_cause": "недопустимое состояние первопричины '{value}'; допустимые: {valid}",
    "core.incident_resolved": "инцидент {id} закрыт (сначала откройте его снова)",
    "core.update_empty": "в обновлении нужна сводка, статус, прогресс или публичное сообщение",
    "core.severity_unchanged": "инцидент {id} уже имеет уровень {severity}",
    "core.role_already_held": "{person} уже выполняет роль «{role}» в {id}",
    "core.role_not_held": "роль «{role}» в {id} никем не занята",
    "core.already_acknowledged": "инцидент {id} уже подтверждён",
    "core.incident_not_resolved": "инцидент {id} не закрыт",
    "core.invalid_incident_id": "недопустимый номер инцидента '{value}' (ожидается INC-<номер>)",
    "core.invalid_time": "недопустимое время '{value}' (ISO 8601, ЧЧ:ММ по UTC или +30m)",
    "core.init_exists": "{path} уже существует (перезаписать: --force)",
    "core.delivery_not_found": "доставка {id} не найдена",
    "core.status.investigating": "расследование",
    "core.status.identified": "причина найдена",
    "core.status.mitigating": "устранение",
    "core.status.monitoring": "наблюдение",
    "core.status.resolved": "решён",
    "core.role.commander": "Руководитель инцидента",
    "core.role.tech-lead": "Технический лидер",
    "core.role.comms-lead": "Ответственный за коммуникации",
    "core.role.ops-lead": "Ответственный за операции",
    "core.role.planning-lead": "Ответственный за планирование",
    "core.role.scribe": "Секретарь",
    "core.role.liaison": "Связной с клиентами",
    "core.role.sme": "Профильный эксперт",
}

CATALOG = Catalog("core", en=EN, ru=RU)
