"""Post-mortem messages, document texts and help texts in English and Russian."""

from imf.i18n import Catalog

EN = {
    # errors about values and documents ({field} is the document path at fault)
    "postmortem.doc.expected_string": "{field}: expected text",
    "postmortem.doc.empty": "{field}: must not be empty",
    "postmortem.doc.too_long": "{field}: longer than {limit} characters",
    "postmortem.doc.expected_list": "{field}: expected a list",
    "postmortem.doc.too_many": "{field}: more than {limit} items",
    "postmortem.doc.expected_time": ("{field}: '{value}' is not a time (use 2026-11-28T14:35:00Z)"),
    "postmortem.doc.expected_date": ("{field}: '{value}' is not a date (use YYYY-MM-DD or +7d)"),
    "postmortem.doc.not_one_of": "{field}: '{value}' is not one of {valid}",
    "postmortem.doc.bad_link": (
        "{field}: '{value}' is not an http(s) URL or an issue key such as OPS-142"
    ),
    "postmortem.doc.expected_table": "{field}: expected a table",
    "postmortem.doc.unknown_key": "{field}: unknown key (known: {known})",
    "postmortem.doc.missing": "{field}: required",
    "postmortem.doc.expected_id": "{field}: '{value}' is not an action id (a whole number from 1)",
    "postmortem.doc.duplicate_id": "{field}: action id {value} is used twice",
    "postmortem.doc.syntax": "line {line}, column {column}: invalid TOML: {reason}",
    "postmortem.doc.no_front_matter": (
        "line {line}: the document must start with TOML front matter between +++ lines"
    ),
    "postmortem.doc.in_body": "{field}: this section belongs in the Markdown body, not in +++",
    "postmortem.doc.unknown_section": "line {line}: unknown section {{#{value}}} (known: {known})",
    "postmortem.doc.duplicate_section": "line {line}: section {{#{value}}} appears twice",
    "postmortem.doc.text_outside_section": (
        "line {line}: text before the first '## ... {{#section}}' heading"
    ),
    # the editable document
    "postmortem.doc.title": "Post-mortem: {id} {title}",
    "postmortem.doc.blameless": (
        "Blameless: describe what happened and why the system allowed it, not who is to blame.\n"
        "People are named by their role; the question is what made the mistake easy to make."
    ),
    "postmortem.doc.derived_note": (
        "Title, date, duration, severity, participants and the timeline come from the incident log."
    ),
    "postmortem.doc.how_to": (
        "Edit the values below and save. Lines starting with # are ignored. Removing an action"
        " item deletes it."
    ),
    "postmortem.doc.rejected": "The document was not saved: {error}",
    "postmortem.hint.summary": (
        "Executive summary: 2-3 sentences: what happened, impact, resolution."
    ),
    "postmortem.hint.root_cause": "Root cause: the detailed technical explanation.",
    "postmortem.hint.resolution": "Resolution: what was done to resolve it.",
    "postmortem.hint.went_well": "What went well: one item per string.",
    "postmortem.hint.to_improve": "What could be improved: one item per string.",
    "postmortem.hint.lessons": "Lessons learned: key takeaways for the future.",
    "postmortem.hint.impact": (
        "Impact: users affected (number or percentage), services, revenue impact ($ or N/A),"
        " downtime."
    ),
    "postmortem.hint.five_whys": (
        "5 whys: the problem, each why with its answer, the root cause, prevention items."
    ),
    "postmortem.hint.timeline": (
        "Timeline additions (UTC): what the incident log does not show. The generated timeline"
        " is shown by 'imf postmortem ID'."
    ),
    "postmortem.hint.action": (
        "Action items: priority P0-P3, status open | in-progress | done, due YYYY-MM-DD, link an"
        " http(s) URL or an issue key. Omit id for a new item."
    ),
    # headings and fields
    "postmortem.section.summary": "Executive summary",
    "postmortem.section.impact": "Impact",
    "postmortem.section.timeline": "Timeline (UTC)",
    "postmortem.section.root_cause": "Root cause",
    "postmortem.section.resolution": "Resolution",
    "postmortem.section.went_well": "What went well",
    "postmortem.section.to_improve": "What could be improved",
    "postmortem.section.action_items": "Action items",
    "postmortem.section.lessons": "Lessons learned",
    "postmortem.section.five_whys": "5 whys",
    "postmortem.field.date": "Date",
    "postmortem.field.duration": "Duration",
    "postmortem.field.severity": "Severity",
    "postmortem.field.participants": "Participants",
    "postmortem.field.users_affected": "Users affected",
    "postmortem.field.services_affected": "Services affected",
    "postmortem.field.revenue_impact": "Revenue impact",
    "postmortem.field.downtime": "Downtime",
    "postmortem.field.problem": "Problem",
    "postmortem.field.why": "Why #{n}",
    "postmortem.field.whys_root_cause": "Root cause",
    "postmortem.field.prevention": "Prevention",
    "postmortem.field.status": "Status",
    "postmortem.none": "—",
    "postmortem.ongoing": "ongoing",
    "postmortem.also": "also",
    "postmortem.draft": "draft",
    "postmortem.published": "published {at} (publication #{count})",
    "postmortem.action_line": "#{id} [{priority}, {status}] {action}",
    "postmortem.action_owner": "owner {owner}",
    "postmortem.action_due": "due {due}",
    "postmortem.overdue": "overdue",
    "postmortem.action_status.open": "open",
    "postmortem.action_status.in-progress": "in progress",
    "postmortem.action_status.done": "done",
    # timeline lines generated from the log
    "postmortem.timeline.detected": "Incident started (detected)",
    "postmortem.timeline.declared": "Incident declared ({severity})",
    "postmortem.timeline.acknowledged": "Acknowledged",
    "postmortem.timeline.role_assigned": "{role}: {person}",
    "postmortem.timeline.escalated_up": "Escalated {from_} → {to}",
    "postmortem.timeline.escalated_down": "De-escalated {from_} → {to}",
    "postmortem.timeline.status_changed": "Status: {status} (update #{number})",
    "postmortem.timeline.update": "Update #{number}",
    "postmortem.timeline.key_note": "Key note",
    "postmortem.timeline.resolved": "Resolved",
    "postmortem.timeline.reopened": "Reopened",
    "postmortem.timeline.added": "Added to the timeline",
    # service errors
    "postmortem.nothing_to_set": "nothing to change: give at least one section or value",
    "postmortem.use_action_commands": "change action items with 'imf action' or --edit",
    "postmortem.edit_conflict": (
        "someone changed {sections} of the post-mortem of {id} while you were editing;"
        " your document was kept: edit again"
    ),
    "postmortem.no_action": "{id} has no action item {action}",
    "postmortem.action_unchanged": "action item {action} of {id} already has these values",
    "postmortem.publish_open": "{id} is not resolved: resolve it before publishing its post-mortem",
    "postmortem.busy": "{id} kept changing while the post-mortem was written; try again",
    # CLI
    "postmortem.cli.edited": "Post-mortem of {id} updated: {sections}",
    "postmortem.cli.unchanged": "No changes: the post-mortem of {id} is as it was.",
    "postmortem.cli.published": "Published the post-mortem of {id} (publication #{count})",
    "postmortem.cli.why_added": "Added why #{n} to the post-mortem of {id}",
    "postmortem.cli.timeline_added": "Added to the timeline of {id}: {at}",
    "postmortem.cli.action_added": "Added action item #{action} to {id}",
    "postmortem.cli.action_changed": "Action item #{action} of {id}: {changes}",
    "postmortem.cli.no_due": "No post-mortems are due.",
    "postmortem.cli.no_actions": "No action items.",
    "postmortem.cli.no_open_actions": "No open action items.",
    "postmortem.cli.need_incident": "give an incident id, or --due",
    "postmortem.cli.due_takes_no_id": "--due lists every incident; it takes no incident id",
    "postmortem.cli.edit_alone": "--edit cannot be combined with section options",
    "postmortem.cli.reopen_editor": "Open the editor again to fix it?",
    "postmortem.cli.kept_draft": "Your edited document was kept in {path}",
    "postmortem.cli.editor_unsaved": "The editor closed without saving: nothing changed.",
    "postmortem.cli.col.id": "ID",
    "postmortem.cli.col.sev": "SEV",
    "postmortem.cli.col.resolved": "RESOLVED",
    "postmortem.cli.col.due": "DUE",
    "postmortem.cli.col.title": "TITLE",
    "postmortem.cli.col.incident": "INCIDENT",
    "postmortem.cli.col.action": "ACTION",
    "postmortem.cli.col.priority": "PRI",
    "postmortem.cli.col.status": "STATUS",
    "postmortem.cli.col.owner": "OWNER",
    "postmortem.cli.draft_exists": "draft",
    # help texts
    "postmortem.help.cmd.postmortem": (
        "Show, write or publish an incident's post-mortem. Also: 'imf postmortem why ID"
        " QUESTION ANSWER', 'imf postmortem timeline ID TIME TEXT'."
    ),
    "postmortem.help.cmd.why": "Add a step to the 5 whys: the question and its answer.",
    "postmortem.help.cmd.timeline": (
        "Add a line to the timeline (TIME: ISO 8601, or HH:MM in UTC on the incident's start day)."
    ),
    "postmortem.help.cmd.action": "Post-mortem action items across incidents.",
    "postmortem.help.cmd.action_add": "Add an action item to an incident's post-mortem.",
    "postmortem.help.cmd.action_done": "Mark an action item done.",
    "postmortem.help.cmd.action_set": "Change an action item (status, owner, due date...).",
    "postmortem.help.cmd.action_list": "List action items of every incident.",
    "postmortem.help.opt.json": "Print JSON.",
    "postmortem.help.opt.strict": "Exit non-zero when a plugin delivery failed.",
    "postmortem.help.opt.edit": "Open the post-mortem in $EDITOR; it is validated on save.",
    "postmortem.help.opt.format": "Document format for --edit: toml, or markdown (front matter).",
    "postmortem.help.opt.publish": "Publish: export plugins (Markdown, Confluence) write it.",
    "postmortem.help.opt.due": "List resolved incidents whose post-mortem is due.",
    "postmortem.help.opt.summary": "Executive summary (2-3 sentences).",
    "postmortem.help.opt.impact_users": "Users affected (number or percentage).",
    "postmortem.help.opt.services": "Services affected (repeatable, or comma-separated).",
    "postmortem.help.opt.revenue_impact": "Revenue impact ($ amount or N/A).",
    "postmortem.help.opt.downtime": "Downtime (e.g. 45m).",
    "postmortem.help.opt.root_cause": "Root cause: the technical explanation.",
    "postmortem.help.opt.resolution": "Resolution: what was done.",
    "postmortem.help.opt.went_well": "What went well (repeatable; replaces the list).",
    "postmortem.help.opt.to_improve": "What could be improved (repeatable; replaces the list).",
    "postmortem.help.opt.lessons": "Lessons learned.",
    "postmortem.help.opt.problem": "5 whys: the problem statement.",
    "postmortem.help.opt.whys_root_cause": "5 whys: the root cause found.",
    "postmortem.help.opt.prevention": "5 whys: a prevention item (repeatable; replaces the list).",
    "postmortem.help.opt.owner": "Who owns it.",
    "postmortem.help.opt.due_date": "Due date: YYYY-MM-DD or +7d (empty clears it).",
    "postmortem.help.opt.priority": "Priority: P0, P1, P2 or P3.",
    "postmortem.help.opt.link": "Tracker link: an http(s) URL or an issue key (OPS-142).",
    "postmortem.help.opt.status": "Status: open, in-progress or done.",
    "postmortem.help.opt.text": "New text of the action.",
    "postmortem.help.opt.open": "Only items that are not done.",
    "postmortem.help.opt.owner_filter": "Only items of this owner.",
}

RU = {
    "postmortem.doc.expected_string": "{field}: ожидается текст",
    "postmortem.doc.empty": "{field}: не может быть пустым",
    "postmortem.doc.too_long": "{field}: длиннее {limit} символов",
    "postmortem.doc.expected_list": "{field}: ожидается список",
    "postmortem.doc.too_many": "{field}: больше {limit} элементов",
    "postmortem.doc.expected_time": (
        "{field}: '{value}' — не время (используйте 2026-11-28T14:35:00Z)"
    ),
    "postmortem.doc.expected_date": (
        "{field}: '{value}' — не дата (используйте ГГГГ-ММ-ДД или +7d)"
    ),
    "postmortem.doc.not_one_of": "{field}: '{value}' не входит в {valid}",
    "postmortem.doc.bad_link": (
        "{field}: '{value}' — не http(s)-ссылка и не ключ задачи вроде OPS-142"
    ),
    "postmortem.doc.expected_table": "{field}: ожидается таблица",
    "postmortem.doc.unknown_key": "{field}: неизвестный ключ (известные: {known})",
    "postmortem.doc.missing": "{field}: обязательное поле",
    "postmortem.doc.expected_id": "{field}: '{value}' — не номер задачи (целое число от 1)",
    "postmortem.doc.duplicate_id": "{field}: номер задачи {value} встречается дважды",
    "postmortem.doc.syntax": "строка {line}, столбец {column}: некорректный TOML: {reason}",
    "postmortem.doc.no_front_matter": (
        "строка {line}: документ должен начинаться с TOML-заголовка между строками +++"
    ),
    "postmortem.doc.in_body": "{field}: этот раздел пишется в тексте Markdown, а не внутри +++",
    "postmortem.doc.unknown_section": (
        "строка {line}: неизвестный раздел {{#{value}}} (известные: {known})"
    ),
    "postmortem.doc.duplicate_section": "строка {line}: раздел {{#{value}}} встречается дважды",
    "postmortem.doc.text_outside_section": (
        "строка {line}: текст до первого заголовка '## ... {{#раздел}}'"
    ),
    "postmortem.doc.title": "Post-mortem: {id} {title}",
    "postmortem.doc.blameless": (
        "Без поиска виноватых (blameless): опишите, что произошло и почему система это"
        " допустила, а не кто виноват.\n"
        "Люди указаны по ролям; вопрос в том, что сделало ошибку лёгкой."
    ),
    "postmortem.doc.derived_note": (
        "Название, дата, длительность, severity, участники и таймлайн берутся из журнала инцидента."
    ),
    "postmortem.doc.how_to": (
        "Отредактируйте значения ниже и сохраните. Строки, начинающиеся с #, игнорируются."
        " Удалённая задача удаляется."
    ),
    "postmortem.doc.rejected": "Документ не сохранён: {error}",
    "postmortem.hint.summary": (
        "Executive summary: 2-3 предложения: что случилось, impact, решение."
    ),
    "postmortem.hint.root_cause": "Корневая причина: детальное техническое объяснение.",
    "postmortem.hint.resolution": "Решение: что было сделано для устранения.",
    "postmortem.hint.went_well": "Что прошло хорошо: по одному пункту в строке.",
    "postmortem.hint.to_improve": "Что можно улучшить: по одному пункту в строке.",
    "postmortem.hint.lessons": "Извлечённые уроки: выводы на будущее.",
    "postmortem.hint.impact": (
        "Воздействие: затронутые пользователи (число или процент), сервисы, влияние на выручку"
        " ($ или N/A), время простоя."
    ),
    "postmortem.hint.five_whys": (
        "5 почему: проблема, каждый вопрос «почему» с ответом, корневая причина, меры"
        " предотвращения."
    ),
    "postmortem.hint.timeline": (
        "Дополнения к таймлайну (UTC): то, чего нет в журнале инцидента. Сгенерированный"
        " таймлайн показывает 'imf postmortem ID'."
    ),
    "postmortem.hint.action": (
        "Задачи: приоритет P0-P3, статус open | in-progress | done, срок ГГГГ-ММ-ДД, ссылка —"
        " http(s)-URL или ключ задачи. Для новой задачи не указывайте id."
    ),
    "postmortem.section.summary": "Краткое резюме",
    "postmortem.section.impact": "Воздействие",
    "postmortem.section.timeline": "Хронология (UTC)",
    "postmortem.section.root_cause": "Корневая причина",
    "postmortem.section.resolution": "Решение",
    "postmortem.section.went_well": "Что прошло хорошо",
    "postmortem.section.to_improve": "Что можно улучшить",
    "postmortem.section.action_items": "Задачи",
    "postmortem.section.lessons": "Извлечённые уроки",
    "postmortem.section.five_whys": "5 почему",
    "postmortem.field.date": "Дата",
    "postmortem.field.duration": "Длительность",
    "postmortem.field.severity": "Severity",
    "postmortem.field.participants": "Участники",
    "postmortem.field.users_affected": "Затронуто пользователей",
    "postmortem.field.services_affected": "Затронутые сервисы",
    "postmortem.field.revenue_impact": "Влияние на выручку",
    "postmortem.field.downtime": "Время простоя",
    "postmortem.field.problem": "Проблема",
    "postmortem.field.why": "Почему #{n}",
    "postmortem.field.whys_root_cause": "Корневая причина",
    "postmortem.field.prevention": "Предотвращение",
    "postmortem.field.status": "Статус",
    "postmortem.none": "—",
    "postmortem.ongoing": "продолжается",
    "postmortem.also": "также",
    "postmortem.draft": "черновик",
    "postmortem.published": "опубликован {at} (публикация №{count})",
    "postmortem.action_line": "#{id} [{priority}, {status}] {action}",
    "postmortem.action_owner": "ответственный {owner}",
    "postmortem.action_due": "срок {due}",
    "postmortem.overdue": "просрочено",
    "postmortem.action_status.open": "открыта",
    "postmortem.action_status.in-progress": "в работе",
    "postmortem.action_status.done": "выполнена",
    "postmortem.timeline.detected": "Начало инцидента (обнаружен)",
    "postmortem.timeline.declared": "Объявлен инцидент ({severity})",
    "postmortem.timeline.acknowledged": "Принят в работу",
    "postmortem.timeline.role_assigned": "{role}: {person}",
    "postmortem.timeline.escalated_up": "Эскалация {from_} → {to}",
    "postmortem.timeline.escalated_down": "Понижение {from_} → {to}",
    "postmortem.timeline.status_changed": "Статус: {status} (обновление №{number})",
    "postmortem.timeline.update": "Обновление №{number}",
    "postmortem.timeline.key_note": "Ключевая заметка",
    "postmortem.timeline.resolved": "Решён",
    "postmortem.timeline.reopened": "Переоткрыт",
    "postmortem.timeline.added": "Добавлено в таймлайн",
    "postmortem.nothing_to_set": "нечего менять: укажите хотя бы один раздел или значение",
    "postmortem.use_action_commands": "задачи меняются через 'imf action' или --edit",
    "postmortem.edit_conflict": (
        "пока вы редактировали, кто-то изменил {sections} в post-mortem {id};"
        " ваш документ сохранён: отредактируйте снова"
    ),
    "postmortem.no_action": "у {id} нет задачи {action}",
    "postmortem.action_unchanged": "у задачи {action} инцидента {id} уже такие значения",
    "postmortem.publish_open": "{id} не решён: решите его перед публикацией post-mortem",
    "postmortem.busy": "{id} всё время менялся, пока записывался post-mortem; повторите",
    "postmortem.cli.edited": "Post-mortem {id} обновлён: {sections}",
    "postmortem.cli.unchanged": "Изменений нет: post-mortem {id} остался прежним.",
    "postmortem.cli.published": "Post-mortem {id} опубликован (публикация №{count})",
    "postmortem.cli.why_added": "Добавлен вопрос «почему» №{n} в post-mortem {id}",
    "postmortem.cli.timeline_added": "Добавлено в таймлайн {id}: {at}",
    "postmortem.cli.action_added": "Добавлена задача #{action} к {id}",
    "postmortem.cli.action_changed": "Задача #{action} инцидента {id}: {changes}",
    "postmortem.cli.no_due": "Нет инцидентов, ожидающих post-mortem.",
    "postmortem.cli.no_actions": "Задач нет.",
    "postmortem.cli.no_open_actions": "Открытых задач нет.",
    "postmortem.cli.need_incident": "укажите номер инцидента или --due",
    "postmortem.cli.due_takes_no_id": "--due показывает все инциденты; номер инцидента не нужен",
    "postmortem.cli.edit_alone": "--edit нельзя сочетать с опциями разделов",
    "postmortem.cli.reopen_editor": "Открыть редактор снова, чтобы исправить?",
    "postmortem.cli.kept_draft": "Ваш отредактированный документ сохранён в {path}",
    "postmortem.cli.editor_unsaved": "Редактор закрыт без сохранения: ничего не изменилось.",
    "postmortem.cli.col.id": "ID",
    "postmortem.cli.col.sev": "SEV",
    "postmortem.cli.col.resolved": "РЕШЁН",
    "postmortem.cli.col.due": "СРОК",
    "postmortem.cli.col.title": "НАЗВАНИЕ",
    "postmortem.cli.col.incident": "ИНЦИДЕНТ",
    "postmortem.cli.col.action": "ЗАДАЧА",
    "postmortem.cli.col.priority": "ПРИОР",
    "postmortem.cli.col.status": "СТАТУС",
    "postmortem.cli.col.owner": "ОТВЕТСТВЕННЫЙ",
    "postmortem.cli.draft_exists": "черновик",
    "postmortem.help.cmd.postmortem": (
        "Показать, написать или опубликовать post-mortem инцидента. Также: 'imf postmortem why"
        " ID ВОПРОС ОТВЕТ', 'imf postmortem timeline ID ВРЕМЯ ТЕКСТ'."
    ),
    "postmortem.help.cmd.why": "Добавить шаг «5 почему»: вопрос и ответ.",
    "postmortem.help.cmd.timeline": (
        "Добавить строку в таймлайн (ВРЕМЯ: ISO 8601 или ЧЧ:ММ по UTC в день начала инцидента)."
    ),
    "postmortem.help.cmd.action": "Задачи post-mortem по всем инцидентам.",
    "postmortem.help.cmd.action_add": "Добавить задачу в post-mortem инцидента.",
    "postmortem.help.cmd.action_done": "Отметить задачу выполненной.",
    "postmortem.help.cmd.action_set": "Изменить задачу (статус, ответственный, срок...).",
    "postmortem.help.cmd.action_list": "Список задач всех инцидентов.",
    "postmortem.help.opt.json": "Вывести JSON.",
    "postmortem.help.opt.strict": "Завершиться с ошибкой, если доставка плагину не удалась.",
    "postmortem.help.opt.edit": "Открыть post-mortem в $EDITOR; при сохранении он проверяется.",
    "postmortem.help.opt.format": "Формат документа для --edit: toml или markdown (front matter).",
    "postmortem.help.opt.publish": (
        "Опубликовать: плагины экспорта (Markdown, Confluence) запишут его."
    ),
    "postmortem.help.opt.due": "Список решённых инцидентов, которым нужен post-mortem.",
    "postmortem.help.opt.summary": "Краткое резюме (2-3 предложения).",
    "postmortem.help.opt.impact_users": "Затронуто пользователей (число или процент).",
    "postmortem.help.opt.services": "Затронутые сервисы (можно повторять или через запятую).",
    "postmortem.help.opt.revenue_impact": "Влияние на выручку (сумма в $ или N/A).",
    "postmortem.help.opt.downtime": "Время простоя (например, 45m).",
    "postmortem.help.opt.root_cause": "Корневая причина: техническое объяснение.",
    "postmortem.help.opt.resolution": "Решение: что было сделано.",
    "postmortem.help.opt.went_well": "Что прошло хорошо (можно повторять; заменяет список).",
    "postmortem.help.opt.to_improve": "Что можно улучшить (можно повторять; заменяет список).",
    "postmortem.help.opt.lessons": "Извлечённые уроки.",
    "postmortem.help.opt.problem": "5 почему: формулировка проблемы.",
    "postmortem.help.opt.whys_root_cause": "5 почему: найденная корневая причина.",
    "postmortem.help.opt.prevention": (
        "5 почему: мера предотвращения (можно повторять; заменяет список)."
    ),
    "postmortem.help.opt.owner": "Ответственный.",
    "postmortem.help.opt.due_date": "Срок: ГГГГ-ММ-ДД или +7d (пустое значение убирает срок).",
    "postmortem.help.opt.priority": "Приоритет: P0, P1, P2 или P3.",
    "postmortem.help.opt.link": "Ссылка на задачу: http(s)-URL или ключ задачи (OPS-142).",
    "postmortem.help.opt.status": "Статус: open, in-progress или done.",
    "postmortem.help.opt.text": "Новый текст задачи.",
    "postmortem.help.opt.open": "Только невыполненные задачи.",
    "postmortem.help.opt.owner_filter": "Только задачи этого ответственного.",
}

CATALOG = Catalog("postmortem", en=EN, ru=RU)
