"""Every user-facing string of the status page plugin, in English and Russian."""

from __future__ import annotations

import imf

EN = {
    # Incident statuses as customers read them.
    "statuspage.status.investigating": "Investigating",
    "statuspage.status.identified": "Identified",
    "statuspage.status.mitigating": "Fixing",
    "statuspage.status.monitoring": "Monitoring",
    "statuspage.status.resolved": "Resolved",
    # Component statuses.
    "statuspage.component.operational": "Operational",
    "statuspage.component.degraded_performance": "Degraded performance",
    "statuspage.component.partial_outage": "Partial outage",
    "statuspage.component.major_outage": "Major outage",
    "statuspage.component.under_maintenance": "Under maintenance",
    # The banner at the top of the page.
    "statuspage.overall.operational": "All systems operational",
    "statuspage.overall.degraded_performance": "Some systems have degraded performance",
    "statuspage.overall.partial_outage": "Some systems are partially unavailable",
    "statuspage.overall.major_outage": "Some systems are unavailable",
    "statuspage.overall.under_maintenance": "Maintenance in progress",
    # Incident impact.
    "statuspage.impact.none": "No impact",
    "statuspage.impact.maintenance": "Maintenance",
    "statuspage.impact.minor": "Minor impact",
    "statuspage.impact.major": "Major impact",
    "statuspage.impact.critical": "Critical impact",
    # Neutral public wording used when an update has no public text.
    "statuspage.public.investigating": (
        "We are investigating reports of a problem. We will post an update as soon as we know more."
    ),
    "statuspage.public.identified": (
        "We have identified the cause of the problem and are working on a fix."
    ),
    "statuspage.public.mitigating": "We are applying a fix. Some users may still be affected.",
    "statuspage.public.monitoring": ("A fix has been applied and we are monitoring the results."),
    "statuspage.public.resolved": "This incident has been resolved.",
    "statuspage.public.reopened": "The problem has come back. We are investigating again.",
    # Page text.
    "statuspage.page.title": "{organization} status",
    "statuspage.page.title_default": "System status",
    "statuspage.page.skip": "Skip to the current status",
    "statuspage.page.components": "Current status",
    "statuspage.page.components_none": "No components are listed yet.",
    "statuspage.page.open": "Active incidents",
    "statuspage.page.history": "Past incidents",
    "statuspage.page.history_empty": "No incidents in the last {days} days.",
    "statuspage.page.uptime": "{percent} % uptime over {days} days",
    "statuspage.page.bars": "Status over the last {days} days",
    "statuspage.page.days_ago": "{days} days ago",
    "statuspage.page.today": "Today",
    "statuspage.page.day_ok": "{date}: no incidents",
    "statuspage.page.day_status": "{date}: {status}",
    "statuspage.page.updated": "Page updated {time}",
    "statuspage.page.feed": "Atom feed",
    "statuspage.page.json": "Machine-readable status (JSON)",
    "statuspage.page.languages": "Language",
    "statuspage.language.en": "English",
    "statuspage.language.ru": "Русский",
    "statuspage.page.back": "Back to the current status",
    "statuspage.page.affected": "Affected",
    "statuspage.page.started": "Started",
    "statuspage.page.resolved_at": "Resolved",
    "statuspage.page.duration": "Duration",
    "statuspage.page.updates": "Updates",
    "statuspage.page.status": "Status",
    "statuspage.page.impact": "Impact",
    "statuspage.page.ongoing": "Ongoing",
    "statuspage.page.footer": "Published with imf",
    "statuspage.page.incident_title": "{title} — {page}",
    "statuspage.page.feed_title": "{page}: incidents",
    # Times and durations.
    "statuspage.time": "{month} {day}, {year}, {time} UTC",
    "statuspage.clock": "{time} UTC",
    "statuspage.date": "{month} {day}, {year}",
    "statuspage.duration.minutes": "{minutes} min",
    "statuspage.duration.hours": "{hours} h {minutes} min",
    "statuspage.duration.days": "{days} d {hours} h",
    "statuspage.month.1": "Jan",
    "statuspage.month.2": "Feb",
    "statuspage.month.3": "Mar",
    "statuspage.month.4": "Apr",
    "statuspage.month.5": "May",
    "statuspage.month.6": "Jun",
    "statuspage.month.7": "Jul",
    "statuspage.month.8": "Aug",
    "statuspage.month.9": "Sep",
    "statuspage.month.10": "Oct",
    "statuspage.month.11": "Nov",
    "statuspage.month.12": "Dec",
    # Links reported to imf and previews.
    "statuspage.link": "Status page",
    "statuspage.link_static": "Status page (self-hosted)",
    "statuspage.preview.atlassian": "Atlassian Statuspage: {method} {path}",
    "statuspage.preview.static": "Self-hosted status page ({path}):",
    "statuspage.preview.nothing": "nothing is sent for this event",
    "statuspage.preview.not_public": (
        "not published: the incident is not customer-facing and severity {severity} is not "
        "listed in plugins.statuspage.severities"
    ),
    # Command line.
    "statuspage.help.group": "Publish incidents to status pages (Atlassian and self-hosted).",
    "statuspage.help.build": ("Regenerate the self-hosted status page from the incident store."),
    "statuspage.help.serve": "Preview the self-hosted status page on 127.0.0.1.",
    "statuspage.help.port": "Port to listen on (0 picks a free one).",
    "statuspage.help.rebuild": "Regenerate the page from the store before serving.",
    "statuspage.help.json": "Print the result as JSON.",
    "statuspage.built": "Status page written to {path}: {count} incidents, {open} open.",
    "statuspage.serving": "Serving {path} at {url} (press Ctrl+C to stop).",
    # Errors.
    "statuspage.no_backend": (
        "plugins.statuspage: no backend is configured: add [plugins.statuspage.atlassian] "
        "or [plugins.statuspage.static]"
    ),
    "statuspage.not_active": (
        "the statuspage plugin is not enabled: add a [plugins.statuspage] table to imf.toml"
    ),
    "statuspage.no_static": (
        'plugins.statuspage.static is not configured: add output_dir = "..." under '
        "[plugins.statuspage.static]"
    ),
    "statuspage.not_built": (
        "{path} has no index.html yet: run 'imf statuspage build' or pass --build"
    ),
    "statuspage.cannot_listen": "cannot listen on 127.0.0.1:{port}: {reason}",
    "statuspage.cannot_write": "cannot write the status page in {path}: {reason}",
    "statuspage.bad_state": "{path} is not a status page state file: {reason}",
}

RU = {
    "statuspage.status.investigating": "Выясняем причину",
    "statuspage.status.identified": "Причина найдена",
    "statuspage.status.mitigating": "Устраняем",
    "statuspage.status.monitoring": "Наблюдаем",
    "statuspage.status.resolved": "Решено",
    "statuspage.component.operational": "Работает",
    "statuspage.component.degraded_performance": "Работает медленно",
    "statuspage.component.partial_outage": "Частично недоступно",
    "statuspage.component.major_outage": "Недоступно",
    "statuspage.component.under_maintenance": "Плановые работы",
    "statuspage.overall.operational": "Все системы работают",
    "statuspage.overall.degraded_performance": "Некоторые системы работают медленно",
    "statuspage.overall.partial_outage": "Некоторые системы частично недоступны",
    "statuspage.overall.major_outage": "Некоторые системы недоступны",
    "statuspage.overall.under_maintenance": "Идут плановые работы",
    "statuspage.impact.none": "Без влияния",
    "statuspage.impact.maintenance": "Плановые работы",
    "statuspage.impact.minor": "Незначительное влияние",
    "statuspage.impact.major": "Серьёзное влияние",
    "statuspage.impact.critical": "Критическое влияние",
    "statuspage.public.investigating": (
        "Мы получили сообщения о проблеме и выясняем её причину. Сообщим подробности, как "
        "только они появятся."
    ),
    "statuspage.public.identified": "Мы нашли причину проблемы и работаем над исправлением.",
    "statuspage.public.mitigating": (
        "Мы применяем исправление. Часть пользователей ещё может испытывать трудности."
    ),
    "statuspage.public.monitoring": "Исправление применено, мы следим за результатом.",
    "statuspage.public.resolved": "Инцидент решён.",
    "statuspage.public.reopened": "Проблема повторилась. Мы снова выясняем её причину.",
    "statuspage.page.title": "Статус {organization}",
    "statuspage.page.title_default": "Статус систем",
    "statuspage.page.skip": "Перейти к текущему статусу",
    "statuspage.page.components": "Текущий статус",
    "statuspage.page.components_none": "Компоненты пока не указаны.",
    "statuspage.page.open": "Текущие инциденты",
    "statuspage.page.history": "Прошедшие инциденты",
    "statuspage.page.history_empty": "За последние {days} дн. инцидентов не было.",
    "statuspage.page.uptime": "Доступность {percent} % за {days} дн.",
    "statuspage.page.bars": "Статус за последние {days} дн.",
    "statuspage.page.days_ago": "{days} дн. назад",
    "statuspage.page.today": "Сегодня",
    "statuspage.page.day_ok": "{date}: без инцидентов",
    "statuspage.page.day_status": "{date}: {status}",
    "statuspage.page.updated": "Страница обновлена {time}",
    "statuspage.page.feed": "Лента Atom",
    "statuspage.page.json": "Статус для программ (JSON)",
    "statuspage.page.languages": "Язык",
    "statuspage.language.en": "English",
    "statuspage.language.ru": "Русский",
    "statuspage.page.back": "К текущему статусу",
    "statuspage.page.affected": "Затронуто",
    "statuspage.page.started": "Начало",
    "statuspage.page.resolved_at": "Решено",
    "statuspage.page.duration": "Длительность",
    "statuspage.page.updates": "Обновления",
    "statuspage.page.status": "Статус",
    "statuspage.page.impact": "Влияние",
    "statuspage.page.ongoing": "Продолжается",
    "statuspage.page.footer": "Опубликовано с помощью imf",
    "statuspage.page.incident_title": "{title} — {page}",
    "statuspage.page.feed_title": "{page}: инциденты",
    "statuspage.time": "{day} {month} {year}, {time} UTC",
    "statuspage.clock": "{time} UTC",
    "statuspage.date": "{day} {month} {year}",
    "statuspage.duration.minutes": "{minutes} мин",
    "statuspage.duration.hours": "{hours} ч {minutes} мин",
    "statuspage.duration.days": "{days} д {hours} ч",
    "statuspage.month.1": "января",
    "statuspage.month.2": "февраля",
    "statuspage.month.3": "марта",
    "statuspage.month.4": "апреля",
    "statuspage.month.5": "мая",
    "statuspage.month.6": "июня",
    "statuspage.month.7": "июля",
    "statuspage.month.8": "августа",
    "statuspage.month.9": "сентября",
    "statuspage.month.10": "октября",
    "statuspage.month.11": "ноября",
    "statuspage.month.12": "декабря",
    "statuspage.link": "Страница статуса",
    "statuspage.link_static": "Страница статуса (своя)",
    "statuspage.preview.atlassian": "Atlassian Statuspage: {method} {path}",
    "statuspage.preview.static": "Своя страница статуса ({path}):",
    "statuspage.preview.nothing": "для этого события ничего не отправляется",
    "statuspage.preview.not_public": (
        "не публикуется: инцидент не затрагивает клиентов, а уровень {severity} не указан в "
        "plugins.statuspage.severities"
    ),
    "statuspage.help.group": "Публикация инцидентов на страницах статуса (Atlassian и своей).",
    "statuspage.help.build": "Заново собрать свою страницу статуса из хранилища инцидентов.",
    "statuspage.help.serve": "Показать свою страницу статуса на 127.0.0.1.",
    "statuspage.help.port": "Порт (0 — выбрать свободный).",
    "statuspage.help.rebuild": "Сначала заново собрать страницу из хранилища.",
    "statuspage.help.json": "Вывести результат в JSON.",
    "statuspage.built": "Страница статуса записана в {path}: инцидентов {count}, открытых {open}.",
    "statuspage.serving": "Страница {path} доступна по адресу {url} (Ctrl+C — остановить).",
    "statuspage.no_backend": (
        "plugins.statuspage: не настроен ни один способ публикации: добавьте "
        "[plugins.statuspage.atlassian] или [plugins.statuspage.static]"
    ),
    "statuspage.not_active": (
        "плагин statuspage не включён: добавьте таблицу [plugins.statuspage] в imf.toml"
    ),
    "statuspage.no_static": (
        'plugins.statuspage.static не настроен: укажите output_dir = "..." в '
        "[plugins.statuspage.static]"
    ),
    "statuspage.not_built": (
        "в {path} ещё нет index.html: выполните 'imf statuspage build' или укажите --build"
    ),
    "statuspage.cannot_listen": "не удалось открыть порт 127.0.0.1:{port}: {reason}",
    "statuspage.cannot_write": "не удалось записать страницу статуса в {path}: {reason}",
    "statuspage.bad_state": "{path} не является файлом состояния страницы статуса: {reason}",
}

CATALOG = imf.Catalog("statuspage", en=EN, ru=RU)


def translate(key: str, lang: str, /, **params: object) -> str:
    """Message ``key`` of this catalog in ``lang`` (English when missing), formatted."""
    template = CATALOG.get(key, lang)
    if template is None:
        return key
    return template.format(**params) if params else template
