"""Texts of the Confluence post-mortem page and the plugin's errors, in English and Russian."""

from __future__ import annotations

import imf

EN = {
    "confluence.page_title": "Post-mortem {id}: {title}",
    "confluence.link": "Post-mortem (Confluence)",
    "confluence.version_message": "Published by imf (publication #{n})",
    "confluence.blameless": (
        "This post-mortem is blameless: it looks for what in our systems and processes let this"
        " happen, not for who is to blame. People are named by their incident role."
    ),
    "confluence.none": "—",
    "confluence.ongoing": "ongoing",
    "confluence.also": "also",
    "confluence.date": "Date",
    "confluence.duration": "Duration",
    "confluence.severity": "Severity",
    "confluence.status": "Status",
    "confluence.participants": "Participants",
    "confluence.incident": "Incident",
    "confluence.summary": "Executive Summary",
    "confluence.impact": "Impact",
    "confluence.users_affected": "Users Affected",
    "confluence.services_affected": "Services Affected",
    "confluence.revenue_impact": "Revenue Impact",
    "confluence.downtime": "Downtime",
    "confluence.timeline": "Timeline (UTC)",
    "confluence.col.time": "Time",
    "confluence.col.event": "Event",
    "confluence.root_cause": "Root Cause",
    "confluence.resolution": "Resolution",
    "confluence.went_well": "What Went Well ✅",
    "confluence.to_improve": "What Could Be Improved ❌",
    "confluence.action_items": "Action Items",
    "confluence.priority": "priority {priority}",
    "confluence.action_status": "status: {status}",
    "confluence.status.open": "open",
    "confluence.status.in-progress": "in progress",
    "confluence.status.done": "done",
    "confluence.owner": "owner: {owner}",
    "confluence.due": "due",
    "confluence.lessons": "Lessons Learned",
    "confluence.five_whys": "5 Whys Analysis",
    "confluence.five_whys_expand": "Show the 5 whys",
    "confluence.problem": "Problem",
    "confluence.whys_root_cause": "Root Cause",
    "confluence.prevention": "Prevention",
    "confluence.malformed": "Confluence: the page body is not well-formed XML ({reason}); not sent",
    "confluence.no_space": "Confluence: no space with key '{key}' is visible to this account",
    "confluence.title_taken": (
        "Confluence: a page titled '{title}' already exists in the space and was not created"
        " by imf for this incident; rename it or set another parent"
    ),
    "confluence.duplicate_unseen": (
        "Confluence: '{title}' is reported as existing but cannot be found yet; will retry"
    ),
    "confluence.conflict": (
        "Confluence: the page kept changing ({attempts} version conflicts); will retry"
    ),
}

RU = {
    "confluence.page_title": "Post-mortem {id}: {title}",
    "confluence.link": "Post-mortem (Confluence)",
    "confluence.version_message": "Опубликовано imf (публикация №{n})",
    "confluence.blameless": (
        "Этот post-mortem проводится без поиска виноватых (blameless): мы ищем, что в системах и"
        " процессах позволило этому случиться, а не кто виноват. Люди указаны по ролям в"
        " инциденте."
    ),
    "confluence.none": "—",
    "confluence.ongoing": "продолжается",
    "confluence.also": "также",
    "confluence.date": "Дата",
    "confluence.duration": "Длительность",
    "confluence.severity": "Severity",
    "confluence.status": "Статус",
    "confluence.participants": "Участники",
    "confluence.incident": "Инцидент",
    "confluence.summary": "Краткое резюме",
    "confluence.impact": "Воздействие",
    "confluence.users_affected": "Затронуто пользователей",
    "confluence.services_affected": "Затронутые сервисы",
    "confluence.revenue_impact": "Влияние на выручку",
    "confluence.downtime": "Время простоя",
    "confluence.timeline": "Хронология (UTC)",
    "confluence.col.time": "Время",
    "confluence.col.event": "Событие",
    "confluence.root_cause": "Корневая причина",
    "confluence.resolution": "Решение",
    "confluence.went_well": "Что прошло хорошо ✅",
    "confluence.to_improve": "Что можно улучшить ❌",
    "confluence.action_items": "Задачи",
    "confluence.priority": "приоритет {priority}",
    "confluence.action_status": "статус: {status}",
    "confluence.status.open": "открыта",
    "confluence.status.in-progress": "в работе",
    "confluence.status.done": "выполнена",
    "confluence.owner": "ответственный: {owner}",
    "confluence.due": "срок",
    "confluence.lessons": "Извлечённые уроки",
    "confluence.five_whys": "Анализ «5 почему»",
    "confluence.five_whys_expand": "Показать «5 почему»",
    "confluence.problem": "Проблема",
    "confluence.whys_root_cause": "Корневая причина",
    "confluence.prevention": "Предотвращение",
    "confluence.malformed": "Confluence: тело страницы — некорректный XML ({reason}); не отправлено",
    "confluence.no_space": "Confluence: пространство с ключом '{key}' недоступно этой учётной записи",
    "confluence.title_taken": (
        "Confluence: страница '{title}' уже есть в пространстве и создана не imf для этого"
        " инцидента; переименуйте её или задайте другого родителя"
    ),
    "confluence.duplicate_unseen": (
        "Confluence: страница '{title}' якобы существует, но пока не находится; повтор позже"
    ),
    "confluence.conflict": (
        "Confluence: страница всё время менялась ({attempts} конфликтов версий); повтор позже"
    ),
}

CATALOG = imf.Catalog("confluence", en=EN, ru=RU)
