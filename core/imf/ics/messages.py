"""Messages and help texts of the ICS workflow (checklists, playbooks, due, metrics, advice)."""

from imf.i18n import Catalog

EN = {
    # --- help ---------------------------------------------------------------------------
    "ics.help.cmd.checklist": (
        "Show an incident's checklists (war room, phases, attached playbooks) with their state."
    ),
    "ics.help.cmd.check": "Check checklist items or playbook steps (who and when is recorded).",
    "ics.help.cmd.uncheck": "Uncheck checklist items or playbook steps.",
    "ics.help.cmd.playbook": "Playbooks: list, show, attach to an incident, lint.",
    "ics.help.cmd.playbook_list": "List the playbooks on the search path.",
    "ics.help.cmd.playbook_show": "Show a playbook: what it matches, its phases, steps and rules.",
    "ics.help.cmd.playbook_attach": "Attach a playbook to an incident (its steps become items).",
    "ics.help.cmd.playbook_lint": "Check playbook files; problems are printed as file:line.",
    "ics.help.cmd.due": (
        "List overdue updates, acknowledgements, missing roles and escalations of open "
        "incidents; --watch records a reminder once per breach."
    ),
    "ics.help.cmd.metrics": (
        "Response metrics: counts, time to acknowledge/mitigate/resolve, breaches, services, "
        "open action items."
    ),
    "ics.help.cmd.advise": "Decision support.",
    "ics.help.cmd.advise_rollback": (
        "Fix forward or roll back? Asks for the factors (or takes flags) and records the decision."
    ),
    "ics.help.cmd.rollout": (
        "Record a staged rollout stage (canary, small, medium, large, full) or show its progress."
    ),
    "ics.help.opt.record": "Record a reminder for each breach not reminded yet, then exit.",
    "ics.help.opt.watch": "Keep checking every --interval and record reminders.",
    "ics.help.opt.interval": "Time between checks with --watch (default 1m).",
    "ics.help.opt.count": "Stop after this many checks.",
    "ics.help.opt.json": "Print JSON.",
    "ics.help.opt.csv": "Print CSV (scope, name, metric, value).",
    "ics.help.opt.since": "Incidents declared at or after WHEN (ISO time, date, or 7d for 7 days ago).",
    "ics.help.opt.until": "Incidents declared before WHEN.",
    "ics.help.opt.metrics_severity": "Only this severity.",
    "ics.help.opt.metrics_service": "Only incidents affecting this service.",
    "ics.help.opt.caused_by_deployment": "The incident was caused by a recent deployment (or not).",
    "ics.help.opt.data_at_risk": "Data integrity is at risk (or not).",
    "ics.help.opt.rollback_loses_data": "Rolling back would lose data (or not).",
    "ics.help.opt.root_cause_understood": "The root cause is well understood (or not).",
    "ics.help.opt.fix_simple": "The fix is simple (or not).",
    "ics.help.opt.fix_eta": "Estimated time to fix forward (15m, 2h; blank or 'unknown').",
    "ics.help.opt.rollback_eta": "Estimated time to roll back.",
    "ics.help.opt.no_input": "Never prompt: factors not given are an error.",
    "ics.help.opt.interactive": "Prompt even when the standard input is not a terminal.",
    "ics.help.opt.dry_run": "Give the advice without recording it.",
    "ics.help.opt.rollout_note": "A note on this stage (what is rolled out).",
    "ics.help.opt.rollout_force": (
        "Start the stage out of order or before the monitoring period ends; the reason is recorded."
    ),
    "ics.help.opt.halt": "Stop the current rollout, with a reason.",
    "ics.help.opt.no_input_update": "Never prompt for the template fields.",
    "ics.help.opt.preview": (
        "Show the update as the template and as each active plugin would send it; "
        "store and send nothing."
    ),
    # --- checklists ---------------------------------------------------------------------
    "ics.gates_resolve": "required to resolve",
    "ics.checked": "Checked {item} on {id}: {text}",
    "ics.unchecked": "Unchecked {item} on {id}: {text}",
    "ics.checklist_progress": "{title}: {done}/{total}",
    "ics.gate_open": "The verification checklist is complete: {id} can be resolved.",
    "ics.item_unknown": (
        "no checklist item or playbook step '{value}' on {id} (see 'imf checklist {id}')"
    ),
    "ics.item_ambiguous": "'{value}' is ambiguous: {candidates}",
    "ics.item_is_role": ("{item} is done by assigning the role: imf assign {id} {role} NAME"),
    "ics.already_checked": "{item} is already checked on {id}",
    "ics.not_checked": "{item} is not checked on {id}",
    "ics.unknown_phase": "unknown checklist '{value}'; valid: {valid}",
    "ics.resolve_gated": (
        "{id} ({severity}) cannot be resolved before its verification checklist is complete; "
        "unchecked: {items} (check them with 'imf check {id} ITEM', or resolve with "
        "--force REASON)"
    ),
    "ics.config_bad_id": (
        "{where}: {key}: '{value}' is not a valid id (lower-case letters, digits and '-')"
    ),
    "ics.config_bad_role": "{where}: {key}: invalid role '{value}'; valid: {valid}",
    "ics.config_unknown_item": "{where}: {key}: no item '{value}' to remove",
    "ics.config_duplicate_id": "{where}: {key}: item id '{value}' is given twice",
    # --- playbooks ----------------------------------------------------------------------
    "ics.playbook_not_found": "no playbook '{name}' (known: {known})",
    "ics.playbook_dir_missing": "{where}: {key}: playbook directory {path} does not exist",
    "ics.playbook_skipped": "warning: playbook skipped: {problem}",
    "ics.playbooks_none": "No playbooks found.",
    "ics.playbook_attached": "Attached playbook {name} ({title}) to {id}",
    "ics.playbook_attached_hint": (
        "Its steps are on 'imf checklist {id} {name}'; check them with "
        "'imf check {id} playbook.{name}.STEP'."
    ),
    "ics.playbook_attached_on_declare": "Playbook {name} attached to {id}",
    "ics.playbook_attached_already": "playbook {name} is already attached to {id}",
    "ics.playbook_suggested": (
        "Matching playbook: {name} — {title} ({why}); attach it: imf playbook attach {id} {name}"
    ),
    "ics.match.service": "service",
    "ics.match.tag": "tag",
    "ics.match.keyword": "keyword",
    "ics.matches": "Matches",
    "ics.escalation_rules": "Escalation",
    "ics.escalation_rule": "unresolved after {after} → {to}: {text}",
    "ics.source": "File",
    "ics.lint_ok": "{file}: OK",
    "ics.lint.syntax": "{where}: invalid TOML: {reason}",
    "ics.lint.not_utf8": "{where}: the file is not UTF-8 text",
    "ics.lint.unreadable": "{where}: cannot read the file: {reason}",
    "ics.lint.unknown_key": "{where}: {key}: unknown key (known: {known})",
    "ics.lint.missing_key": "{where}: {key}: required key is missing",
    "ics.lint.expected_table": "{where}: {key}: expected a table",
    "ics.lint.expected_tables": "{where}: {key}: expected an array of tables",
    "ics.lint.expected_string": "{where}: {key}: expected a string",
    "ics.lint.expected_strings": "{where}: {key}: expected a list of strings",
    "ics.lint.expected_text": (
        "{where}: {key}: expected a string or a table of language to text (en, ru)"
    ),
    "ics.lint.empty_text": "{where}: {key}: the text is empty",
    "ics.lint.empty_list": "{where}: {key}: needs at least one entry",
    "ics.lint.unknown_language": "{where}: {key}: unknown language '{value}' (use: {valid})",
    "ics.lint.bad_id": (
        "{where}: {key}: '{value}' is not a valid id (lower-case letters, digits and '-')"
    ),
    "ics.lint.duplicate_id": "{where}: {key}: id '{value}' is already used at line {first}",
    "ics.lint.duplicate_name": "{where}: {key}: playbook '{value}' is also defined in {other}",
    "ics.lint.bad_duration": (
        "{where}: {key}: '{value}' is not a positive duration such as '15m', '2h' or '1d'"
    ),
    "ics.lint.unknown_severity": "{where}: {key}: unknown severity '{value}' (valid: {valid})",
    "ics.lint.unknown_step": "{where}: {key}: no step '{value}' in this playbook",
    # --- due ----------------------------------------------------------------------------
    "ics.breach.update_overdue": "update #{number} was due at {due} ({late} overdue)",
    "ics.breach.ack_overdue": (
        "not acknowledged: the response target passed at {due} ({late} ago)"
    ),
    "ics.breach.roles_missing": "required roles missing: {roles} (due {due}, {late} ago)",
    "ics.breach.escalation_due": "escalate to {to}: {text} (due {due}, {late} ago)",
    "ics.nothing_due": "Nothing is overdue.",
    "ics.reminded": "reminded",
    "ics.next_update_in": "{id} [{severity}]: next update due at {due} (in {left})",
    "ics.reminder_recorded": "Reminder recorded on {id}: {text}",
    "ics.no_new_reminders": "No new breach to remind.",
    "ics.bad_interval": "invalid interval '{value}' (use a duration such as 30s, 1m)",
    "ics.bad_imf_now": "IMF_NOW: invalid time '{value}' (use ISO 8601)",
    "ics.attention": "Attention",
    "ics.roles_needed": "required roles missing: {roles} (needed by {due})",
    "ics.next_update": "Next update due",
    "ics.in": "in {left}",
    # --- metrics ------------------------------------------------------------------------
    "ics.metrics.total": "Incidents: {count}, open: {open}",
    "ics.metrics.col.severity": "SEV",
    "ics.metrics.col.count": "COUNT",
    "ics.metrics.col.open": "OPEN",
    "ics.metrics.col.time_to_acknowledge": "ACKNOWLEDGE",
    "ics.metrics.col.time_to_mitigate": "MITIGATE",
    "ics.metrics.col.time_to_resolve": "RESOLVE",
    "ics.metrics.col.response_breaches": "LATE ACK",
    "ics.metrics.col.cadence_breaches": "LATE UPDATES",
    "ics.metrics.legend": (
        "Times from the declaration: median / p90 / mean. LATE ACK: response target missed; "
        "LATE UPDATES: overdue updates recorded by 'imf due'."
    ),
    "ics.metrics.services": "Incidents per service",
    "ics.metrics.action_items": "Open action items: {count}",
    "ics.json_or_csv": "give --json or --csv, not both",
    "ics.metrics_need_sql": "metrics need an SQL store (SQLite or PostgreSQL)",
    # --- advice and rollout -------------------------------------------------------------
    "ics.question.caused_by_deployment": "Was it caused by a recent deployment?",
    "ics.question.data_at_risk": "Is data integrity at risk?",
    "ics.question.rollback_loses_data": "Would rolling back lose data?",
    "ics.question.root_cause_understood": "Is the root cause well understood?",
    "ics.question.fix_simple": "Is the fix simple?",
    "ics.question.fix_eta": "Estimated time to fix forward (e.g. 30m; blank if unknown)",
    "ics.question.rollback_eta": "Estimated time to roll back (e.g. 10m; blank if unknown)",
    "ics.advise_missing": (
        "these factors are needed (or answer the questions with --interactive): {flags}"
    ),
    "ics.bad_eta": "invalid estimate '{value}' (use a duration such as 30m, or 'unknown')",
    "ics.advise.decision.rollback": "ROLL BACK",
    "ics.advise.decision.fix-forward": "FIX FORWARD",
    "ics.advise.answer": "Advice: {decision} — {reason} (rule {rule} of {rules})",
    "ics.advise.rule.severe-deployment": (
        "a {severity} caused by a bad deployment is always rolled back"
    ),
    "ics.advise.rule.fix-slower": "the fix would take more than twice as long as the rollback",
    "ics.advise.rule.data-integrity": "data integrity is at risk: data safety comes first",
    "ics.advise.rule.rollback-loses-data": "rolling back would lose data",
    "ics.advise.rule.simple-fix": (
        "the root cause is well understood and the fix is simple: a quick fix is preferable"
    ),
    "ics.advise.rule.default": "when in doubt, prefer the rollback for safety",
    "ics.advise.recorded": "Decision recorded in the timeline of {id}.",
    "ics.stage.canary": "canary",
    "ics.stage.small": "small",
    "ics.stage.medium": "medium",
    "ics.stage.large": "large",
    "ics.stage.full": "full",
    "ics.rollout_bad_stage": "invalid rollout stage '{value}'; valid: {valid}",
    "ics.rollout_needs_canary": "no rollout is running on {id}: start with the canary",
    "ics.rollout_complete_already": "the rollout on {id} is complete; start a new one with the canary",
    "ics.rollout_out_of_order": (
        "{stage} cannot start now on {id}: the next stage is {expected} (or use --force REASON)"
    ),
    "ics.rollout_too_early": (
        "{stage} may start at {when}, after the current stage's monitoring period "
        "(or use --force REASON)"
    ),
    "ics.rollout_nothing_to_halt": "no rollout is running on {id}",
    "ics.rollout_stage_or_halt": "give a stage or --halt, not both",
    "ics.rollout.forced": "forced: {reason}",
    "ics.rollout.halted": "Rollout halted: {reason}",
    "ics.rollout.none": "No rollout yet. Start with: canary (1-5% of traffic).",
    "ics.rollout.complete": "Rollout complete: 100% of traffic.",
    "ics.rollout.monitor": "Monitor this stage for {window}.",
    "ics.rollout.next_after_verify": "Next: {stage}, once the canary shows the fix works.",
    "ics.rollout.next_at": "Next: {stage}, from {when} (in {left}).",
    "ics.rollout.next_now": "Next: {stage}, may start now.",
    # --- communication ------------------------------------------------------------------
    "ics.prompt.intro": "Incident Update #{number} for {id} (Enter keeps the value shown).",
    "ics.prompt.status": "Status",
    "ics.prompt.summary": "Summary (one line)",
    "ics.prompt.since_last": "Since last update (one item per line, empty line to finish):",
    "ics.prompt.root_cause": "Root cause",
    "ics.prompt.impact": "Impact (affected users and services)",
    "ics.prompt.eta": "ETA (if determinable)",
    "ics.prompt.next_steps": "Next steps, with owner (one per line, empty line to finish):",
    "ics.prompt.next_update": "Next update (HH:MM UTC, +30m, ISO; empty: {cadence} by the cadence)",
    "ics.prompt.public": "Public message for the status page (empty: none)",
    "ics.preview.heading": "Preview of update #{number} on {id}: nothing is stored or sent.",
    "ics.preview.failed": "the preview of {plugin} failed: {error}",
    "ics.preview.no_plugins": "No active plugin renders previews.",
    "ics.template.heading": "Incident Update #{number} - {time}",
    "ics.template.status": "Status",
    "ics.template.summary": "Summary",
    "ics.template.since_last": "Since Last Update",
    "ics.template.understanding": "Current Understanding",
    "ics.template.root_cause": "Root Cause",
    "ics.template.root_cause.known": "Known",
    "ics.template.root_cause.suspected": "Suspected",
    "ics.template.root_cause.under-investigation": "Under investigation",
    "ics.template.impact": "Impact",
    "ics.template.eta": "ETA",
    "ics.template.eta_unknown": "not yet determinable",
    "ics.template.next_steps": "Next Steps",
    "ics.template.next_update": "Next Update",
    "ics.template.public": "Public message",
}

RU = {
    # --- help ---------------------------------------------------------------------------
    "ics.help.cmd.checklist": (
        "Показать чек-листы инцидента (war room, фазы, подключённые плейбуки) с отметками."
    ),
    "ics.help.cmd.check": "Отметить пункты чек-листа или шаги плейбука (кто и когда — в журнале).",
    "ics.help.cmd.uncheck": "Снять отметку с пунктов чек-листа или шагов плейбука.",
    "ics.help.cmd.playbook": "Плейбуки: список, просмотр, подключение к инциденту, проверка.",
    "ics.help.cmd.playbook_list": "Показать плейбуки на пути поиска.",
    "ics.help.cmd.playbook_show": "Показать плейбук: что он распознаёт, фазы, шаги и правила.",
    "ics.help.cmd.playbook_attach": "Подключить плейбук к инциденту (шаги становятся пунктами).",
    "ics.help.cmd.playbook_lint": "Проверить файлы плейбуков; ошибки выводятся как файл:строка.",
    "ics.help.cmd.due": (
        "Показать просроченные обновления, подтверждения, незанятые роли и эскалации открытых "
        "инцидентов; --watch записывает одно напоминание на каждое нарушение."
    ),
    "ics.help.cmd.metrics": (
        "Метрики реагирования: количество, время до подтверждения/смягчения/решения, "
        "нарушения, сервисы, открытые задачи."
    ),
    "ics.help.cmd.advise": "Поддержка решений.",
    "ics.help.cmd.advise_rollback": (
        "Fix forward или откат? Спрашивает факторы (или берёт флаги) и записывает решение."
    ),
    "ics.help.cmd.rollout": (
        "Записать этап поэтапной выкатки (canary, small, medium, large, full) или показать ход."
    ),
    "ics.help.opt.record": "Записать напоминание о каждом нарушении, о котором ещё не напоминали.",
    "ics.help.opt.watch": "Проверять каждые --interval и записывать напоминания.",
    "ics.help.opt.interval": "Пауза между проверками с --watch (по умолчанию 1m).",
    "ics.help.opt.count": "Остановиться после стольких проверок.",
    "ics.help.opt.json": "Вывести JSON.",
    "ics.help.opt.csv": "Вывести CSV (scope, name, metric, value).",
    "ics.help.opt.since": (
        "Инциденты, объявленные не раньше WHEN (время ISO, дата или 7d — 7 дней назад)."
    ),
    "ics.help.opt.until": "Инциденты, объявленные раньше WHEN.",
    "ics.help.opt.metrics_severity": "Только этот уровень серьёзности.",
    "ics.help.opt.metrics_service": "Только инциденты, затрагивающие этот сервис.",
    "ics.help.opt.caused_by_deployment": "Инцидент вызван недавним деплоем (или нет).",
    "ics.help.opt.data_at_risk": "Под угрозой целостность данных (или нет).",
    "ics.help.opt.rollback_loses_data": "Откат приведёт к потере данных (или нет).",
    "ics.help.opt.root_cause_understood": "Первопричина хорошо понятна (или нет).",
    "ics.help.opt.fix_simple": "Исправление простое (или нет).",
    "ics.help.opt.fix_eta": "Оценка времени на исправление (15m, 2h; пусто или 'unknown').",
    "ics.help.opt.rollback_eta": "Оценка времени на откат.",
    "ics.help.opt.no_input": "Ничего не спрашивать: не заданные факторы — ошибка.",
    "ics.help.opt.interactive": "Спрашивать, даже если стандартный ввод — не терминал.",
    "ics.help.opt.dry_run": "Дать совет, не записывая его.",
    "ics.help.opt.rollout_note": "Заметка к этапу (что выкатывается).",
    "ics.help.opt.rollout_force": (
        "Начать этап не по порядку или до конца периода наблюдения; причина записывается."
    ),
    "ics.help.opt.halt": "Остановить текущую выкатку, с причиной.",
    "ics.help.opt.no_input_update": "Не спрашивать поля шаблона.",
    "ics.help.opt.preview": (
        "Показать обновление по шаблону и так, как его отправит каждый активный плагин; "
        "ничего не сохранять и не отправлять."
    ),
    # --- checklists ---------------------------------------------------------------------
    "ics.gates_resolve": "обязателен для закрытия",
    "ics.checked": "Отмечено {item} в {id}: {text}",
    "ics.unchecked": "Снята отметка {item} в {id}: {text}",
    "ics.checklist_progress": "{title}: {done}/{total}",
    "ics.gate_open": "Чек-лист проверки выполнен: {id} можно закрывать.",
    "ics.item_unknown": (
        "в {id} нет пункта чек-листа или шага плейбука '{value}' (см. 'imf checklist {id}')"
    ),
    "ics.item_ambiguous": "'{value}' неоднозначно: {candidates}",
    "ics.item_is_role": "{item} выполняется назначением роли: imf assign {id} {role} ИМЯ",
    "ics.already_checked": "{item} в {id} уже отмечен",
    "ics.not_checked": "{item} в {id} не отмечен",
    "ics.unknown_phase": "неизвестный чек-лист '{value}'; допустимые: {valid}",
    "ics.resolve_gated": (
        "{id} ({severity}) нельзя закрыть, пока не выполнен чек-лист проверки; не отмечены: "
        "{items} (отметьте их: 'imf check {id} ПУНКТ' или закройте с --force ПРИЧИНА)"
    ),
    "ics.config_bad_id": (
        "{where}: {key}: '{value}' — недопустимый идентификатор (строчные латинские буквы, "
        "цифры и '-')"
    ),
    "ics.config_bad_role": "{where}: {key}: недопустимая роль '{value}'; допустимые: {valid}",
    "ics.config_unknown_item": "{where}: {key}: нет пункта '{value}', который можно удалить",
    "ics.config_duplicate_id": "{where}: {key}: идентификатор пункта '{value}' указан дважды",
    # --- playbooks ----------------------------------------------------------------------
    "ics.playbook_not_found": "нет плейбука '{name}' (известные: {known})",
    "ics.playbook_dir_missing": "{where}: {key}: каталог плейбуков {path} не существует",
    "ics.playbook_skipped": "предупреждение: плейбук пропущен: {problem}",
    "ics.playbooks_none": "Плейбуки не найдены.",
    "ics.playbook_attached": "Плейбук {name} ({title}) подключён к {id}",
    "ics.playbook_attached_hint": (
        "Его шаги — в 'imf checklist {id} {name}'; отмечайте их: "
        "'imf check {id} playbook.{name}.ШАГ'."
    ),
    "ics.playbook_attached_on_declare": "Плейбук {name} подключён к {id}",
    "ics.playbook_attached_already": "плейбук {name} уже подключён к {id}",
    "ics.playbook_suggested": (
        "Подходящий плейбук: {name} — {title} ({why}); подключить: imf playbook attach {id} {name}"
    ),
    "ics.match.service": "сервис",
    "ics.match.tag": "тег",
    "ics.match.keyword": "ключевое слово",
    "ics.matches": "Распознаёт",
    "ics.escalation_rules": "Эскалация",
    "ics.escalation_rule": "не решено за {after} → {to}: {text}",
    "ics.source": "Файл",
    "ics.lint_ok": "{file}: OK",
    "ics.lint.syntax": "{where}: некорректный TOML: {reason}",
    "ics.lint.not_utf8": "{where}: файл не в кодировке UTF-8",
    "ics.lint.unreadable": "{where}: не удаётся прочитать файл: {reason}",
    "ics.lint.unknown_key": "{where}: {key}: неизвестный ключ (известные: {known})",
    "ics.lint.missing_key": "{where}: {key}: отсутствует обязательный ключ",
    "ics.lint.expected_table": "{where}: {key}: ожидается таблица",
    "ics.lint.expected_tables": "{where}: {key}: ожидается массив таблиц",
    "ics.lint.expected_string": "{where}: {key}: ожидается строка",
    "ics.lint.expected_strings": "{where}: {key}: ожидается список строк",
    "ics.lint.expected_text": (
        "{where}: {key}: ожидается строка или таблица «язык → текст» (en, ru)"
    ),
    "ics.lint.empty_text": "{where}: {key}: пустой текст",
    "ics.lint.empty_list": "{where}: {key}: нужен хотя бы один элемент",
    "ics.lint.unknown_language": "{where}: {key}: неизвестный язык '{value}' (допустимые: {valid})",
    "ics.lint.bad_id": (
        "{where}: {key}: '{value}' — недопустимый идентификатор (строчные латинские буквы, "
        "цифры и '-')"
    ),
    "ics.lint.duplicate_id": (
        "{where}: {key}: идентификатор '{value}' уже использован в строке {first}"
    ),
    "ics.lint.duplicate_name": "{where}: {key}: плейбук '{value}' также определён в {other}",
    "ics.lint.bad_duration": (
        "{where}: {key}: '{value}' — не положительная длительность вида '15m', '2h' или '1d'"
    ),
    "ics.lint.unknown_severity": (
        "{where}: {key}: неизвестный уровень серьёзности '{value}' (допустимые: {valid})"
    ),
    "ics.lint.unknown_step": "{where}: {key}: в этом плейбуке нет шага '{value}'",
    # --- due ----------------------------------------------------------------------------
    "ics.breach.update_overdue": "обновление №{number} ожидалось в {due} (просрочено на {late})",
    "ics.breach.ack_overdue": "не подтверждён: целевое время реакции истекло в {due} ({late} назад)",
    "ics.breach.roles_missing": "не назначены обязательные роли: {roles} (срок {due}, {late} назад)",
    "ics.breach.escalation_due": "эскалируйте: {to}: {text} (срок {due}, {late} назад)",
    "ics.nothing_due": "Просроченного нет.",
    "ics.reminded": "напоминание отправлено",
    "ics.next_update_in": "{id} [{severity}]: следующее обновление в {due} (через {left})",
    "ics.reminder_recorded": "Записано напоминание в {id}: {text}",
    "ics.no_new_reminders": "Новых нарушений для напоминания нет.",
    "ics.bad_interval": "недопустимый интервал '{value}' (укажите длительность, например 30s, 1m)",
    "ics.bad_imf_now": "IMF_NOW: недопустимое время '{value}' (используйте ISO 8601)",
    "ics.attention": "Внимание",
    "ics.roles_needed": "не назначены обязательные роли: {roles} (нужны к {due})",
    "ics.next_update": "Следующее обновление",
    "ics.in": "через {left}",
    # --- metrics ------------------------------------------------------------------------
    "ics.metrics.total": "Инцидентов: {count}, открытых: {open}",
    "ics.metrics.col.severity": "УРОВЕНЬ",
    "ics.metrics.col.count": "ВСЕГО",
    "ics.metrics.col.open": "ОТКРЫТО",
    "ics.metrics.col.time_to_acknowledge": "ПОДТВЕРЖДЕНИЕ",
    "ics.metrics.col.time_to_mitigate": "СМЯГЧЕНИЕ",
    "ics.metrics.col.time_to_resolve": "РЕШЕНИЕ",
    "ics.metrics.col.response_breaches": "ПОЗДНЯЯ РЕАКЦИЯ",
    "ics.metrics.col.cadence_breaches": "ПРОСРОЧ. ОБНОВЛЕНИЯ",
    "ics.metrics.legend": (
        "Время от объявления: медиана / p90 / среднее. ПОЗДНЯЯ РЕАКЦИЯ: целевое время реакции "
        "нарушено; ПРОСРОЧ. ОБНОВЛЕНИЯ: просроченные обновления, записанные 'imf due'."
    ),
    "ics.metrics.services": "Инциденты по сервисам",
    "ics.metrics.action_items": "Открытые задачи: {count}",
    "ics.json_or_csv": "укажите --json или --csv, но не оба",
    "ics.metrics_need_sql": "для метрик нужно SQL-хранилище (SQLite или PostgreSQL)",
    # --- advice and rollout -------------------------------------------------------------
    "ics.question.caused_by_deployment": "Инцидент вызван недавним деплоем?",
    "ics.question.data_at_risk": "Под угрозой целостность данных?",
    "ics.question.rollback_loses_data": "Откат приведёт к потере данных?",
    "ics.question.root_cause_understood": "Первопричина хорошо понятна?",
    "ics.question.fix_simple": "Исправление простое?",
    "ics.question.fix_eta": "Оценка времени на исправление (например 30m; пусто — неизвестно)",
    "ics.question.rollback_eta": "Оценка времени на откат (например 10m; пусто — неизвестно)",
    "ics.advise_missing": "нужны эти факторы (или ответьте на вопросы с --interactive): {flags}",
    "ics.bad_eta": "недопустимая оценка '{value}' (укажите длительность, например 30m, или 'unknown')",
    "ics.advise.decision.rollback": "ОТКАТ",
    "ics.advise.decision.fix-forward": "FIX FORWARD",
    "ics.advise.answer": "Совет: {decision} — {reason} (правило {rule} из {rules})",
    "ics.advise.rule.severe-deployment": "{severity}, вызванный неудачным деплоем, всегда откатывают",
    "ics.advise.rule.fix-slower": "исправление займёт больше чем вдвое дольше отката",
    "ics.advise.rule.data-integrity": "под угрозой целостность данных: безопасность данных важнее",
    "ics.advise.rule.rollback-loses-data": "откат приведёт к потере данных — откатывать нельзя",
    "ics.advise.rule.simple-fix": (
        "первопричина понятна и исправление простое: быстрый fix предпочтительнее"
    ),
    "ics.advise.rule.default": "при сомнениях для безопасности предпочтителен откат",
    "ics.advise.recorded": "Решение записано в хронологию {id}.",
    "ics.stage.canary": "canary",
    "ics.stage.small": "small",
    "ics.stage.medium": "medium",
    "ics.stage.large": "large",
    "ics.stage.full": "full",
    "ics.rollout_bad_stage": "недопустимый этап выкатки '{value}'; допустимые: {valid}",
    "ics.rollout_needs_canary": "в {id} выкатка не идёт: начните с canary",
    "ics.rollout_complete_already": "выкатка в {id} завершена; новую начните с canary",
    "ics.rollout_out_of_order": (
        "{stage} сейчас начать в {id} нельзя: следующий этап — {expected} "
        "(или используйте --force ПРИЧИНА)"
    ),
    "ics.rollout_too_early": (
        "{stage} можно начать в {when}, после периода наблюдения текущего этапа "
        "(или используйте --force ПРИЧИНА)"
    ),
    "ics.rollout_nothing_to_halt": "в {id} выкатка не идёт",
    "ics.rollout_stage_or_halt": "укажите этап или --halt, но не оба",
    "ics.rollout.forced": "принудительно: {reason}",
    "ics.rollout.halted": "Выкатка остановлена: {reason}",
    "ics.rollout.none": "Выкатки ещё не было. Начните с canary (1-5% трафика).",
    "ics.rollout.complete": "Выкатка завершена: 100% трафика.",
    "ics.rollout.monitor": "Наблюдайте за этим этапом {window}.",
    "ics.rollout.next_after_verify": "Далее: {stage}, когда canary покажет, что исправление работает.",
    "ics.rollout.next_at": "Далее: {stage}, с {when} (через {left}).",
    "ics.rollout.next_now": "Далее: {stage}, можно начинать.",
    # --- communication ------------------------------------------------------------------
    "ics.prompt.intro": "Обновление №{number} по {id} (Enter оставляет показанное значение).",
    "ics.prompt.status": "Статус",
    "ics.prompt.summary": "Кратко (одна строка)",
    "ics.prompt.since_last": "С прошлого обновления (по пункту на строку, пустая строка — конец):",
    "ics.prompt.root_cause": "Первопричина",
    "ics.prompt.impact": "Влияние (затронутые пользователи и сервисы)",
    "ics.prompt.eta": "Ожидаемое время (если можно оценить)",
    "ics.prompt.next_steps": (
        "Следующие шаги, с ответственным (по шагу на строку, пустая строка — конец):"
    ),
    "ics.prompt.next_update": (
        "Следующее обновление (ЧЧ:ММ UTC, +30m, ISO; пусто — {cadence} по частоте уровня)"
    ),
    "ics.prompt.public": "Публичное сообщение для статус-страницы (пусто — нет)",
    "ics.preview.heading": "Предпросмотр обновления №{number} по {id}: ничего не сохраняется и не отправляется.",
    "ics.preview.failed": "предпросмотр {plugin} не удался: {error}",
    "ics.preview.no_plugins": "Ни один активный плагин не показывает предпросмотр.",
    "ics.template.heading": "Обновление по инциденту №{number} - {time}",
    "ics.template.status": "Статус",
    "ics.template.summary": "Кратко",
    "ics.template.since_last": "С прошлого обновления",
    "ics.template.understanding": "Текущее понимание",
    "ics.template.root_cause": "Первопричина",
    "ics.template.root_cause.known": "Известна",
    "ics.template.root_cause.suspected": "Предполагается",
    "ics.template.root_cause.under-investigation": "Расследуется",
    "ics.template.impact": "Влияние",
    "ics.template.eta": "Ожидаемое время",
    "ics.template.eta_unknown": "пока не определить",
    "ics.template.next_steps": "Следующие шаги",
    "ics.template.next_update": "Следующее обновление",
    "ics.template.public": "Публичное сообщение",
}

CATALOG = Catalog("ics", en=EN, ru=RU)
