"""Messages of the stores and ``imf store`` in English and Russian."""

from imf.i18n import Catalog

EN = {
    "store.help.group": "Inspect, migrate and copy the incident store.",
    "store.help.migrate": "Bring the store's schema up to date (creating it if new).",
    "store.help.check": (
        "Check the store: connectivity, schema version, and what it holds. "
        "Exits 1 when the schema needs migrating."
    ),
    "store.help.copy": (
        "Copy every incident, event and delivery from store SRC into the empty store DST "
        "(e.g. SQLite to PostgreSQL), verified before it is committed."
    ),
    "store.help.rebuild": "Rebuild every incident's snapshot from its events.",
    "store.help.batch": "Events or deliveries read per query while copying.",
    "store.psycopg_missing": ("PostgreSQL support is not installed: pip install 'imf[postgres]'"),
    "store.read_failed": "cannot read from store {url}: {reason}",
    "store.conflict": (
        "incident {id} changed meanwhile (version {found}, expected {expected}): "
        "nothing was recorded; look at it again and retry"
    ),
    "store.conflict_concurrent": (
        "an incident in store {url} was changed by someone else at the same moment: "
        "nothing was recorded; retry"
    ),
    "store.copy_unsupported": "store copy works between SQLite and PostgreSQL stores only",
    "store.copy_same": "source and destination are the same store ({url})",
    "store.copy_not_empty": (
        "destination store {url} is not empty ({incidents} incidents, {events} events): "
        "copy into a new, empty database or file"
    ),
    "store.copy_changed": (
        "source store {url} changed during the copy: nothing was copied; "
        "stop responders and delivery workers and retry"
    ),
    "store.copy_mismatch_events": (
        "copy verification failed: the source has {source} events, the copy {copied}; "
        "nothing was copied (stop writers to the source and retry)"
    ),
    "store.copy_mismatch_incident": (
        "copy verification failed: incident {id} differs from its projection in the source; "
        "nothing was copied (run 'imf --store SOURCE store rebuild' and retry)"
    ),
    "store.copy_mismatch_count": (
        "copy verification failed: the source has {source} incidents, the copy {copied}; "
        "nothing was copied"
    ),
    "store.copy_mismatch_deliveries": (
        "copy verification failed: source deliveries ({source}) differ from the copy "
        "({copied}); nothing was copied"
    ),
    "store.migrated": "Store {url}: schema migrated from version {found} to {version}.",
    "store.up_to_date": "Store {url}: schema version {version}, up to date.",
    "store.check.url": "Store:          {url}",
    "store.check.backend": "Backend:        {backend}",
    "store.check.server": "Server:         PostgreSQL {version}",
    "store.check.schema": "Schema version: {found} (this imf: {supported})",
    "store.check.ok": "Status:         ok",
    "store.check.needs_migration": "Status:         needs migration: run 'imf store migrate'",
    "store.check.incidents": "Incidents:      {total} ({open} open)",
    "store.check.events": "Events:         {n}",
    "store.check.deliveries": (
        "Deliveries:     {pending} pending ({leased} leased to a worker), "
        "{delivered} delivered, {dead} dead"
    ),
    "store.copied": (
        "Copied {src} to {dst}: incidents {incidents}, events {events}, deliveries "
        "{deliveries}; event counts and projections match."
    ),
    "store.rebuilt": "Rebuilt {n} incidents from their events.",
}

RU = {
    "store.help.group": "Проверка, миграция и копирование хранилища инцидентов.",
    "store.help.migrate": "Обновить схему хранилища до текущей версии (создав её, если нужно).",
    "store.help.check": (
        "Проверить хранилище: подключение, версию схемы и содержимое. "
        "Код выхода 1, если схеме нужна миграция."
    ),
    "store.help.copy": (
        "Скопировать все инциденты, события и доставки из хранилища SRC в пустое хранилище "
        "DST (например, из SQLite в PostgreSQL) с проверкой до фиксации."
    ),
    "store.help.rebuild": "Пересобрать снимок каждого инцидента из его событий.",
    "store.help.batch": "Сколько событий или доставок читать за один запрос при копировании.",
    "store.psycopg_missing": ("поддержка PostgreSQL не установлена: pip install 'imf[postgres]'"),
    "store.read_failed": "не удаётся прочитать хранилище {url}: {reason}",
    "store.conflict": (
        "инцидент {id} изменился за это время (версия {found}, ожидалась {expected}): "
        "ничего не записано; посмотрите на него снова и повторите"
    ),
    "store.conflict_concurrent": (
        "инцидент в хранилище {url} одновременно изменил кто-то другой: "
        "ничего не записано; повторите"
    ),
    "store.copy_unsupported": "копирование работает только между хранилищами SQLite и PostgreSQL",
    "store.copy_same": "источник и получатель — одно и то же хранилище ({url})",
    "store.copy_not_empty": (
        "хранилище-получатель {url} не пусто (инцидентов: {incidents}, событий: {events}): "
        "копируйте в новую пустую базу или файл"
    ),
    "store.copy_changed": (
        "хранилище-источник {url} изменилось во время копирования: ничего не скопировано; "
        "остановите дежурных и обработчики доставки и повторите"
    ),
    "store.copy_mismatch_events": (
        "проверка копии не прошла: в источнике событий {source}, в копии {copied}; "
        "ничего не скопировано (остановите запись в источник и повторите)"
    ),
    "store.copy_mismatch_incident": (
        "проверка копии не прошла: инцидент {id} отличается от своей проекции в источнике; "
        "ничего не скопировано (выполните 'imf --store ИСТОЧНИК store rebuild' и повторите)"
    ),
    "store.copy_mismatch_count": (
        "проверка копии не прошла: в источнике инцидентов {source}, в копии {copied}; "
        "ничего не скопировано"
    ),
    "store.copy_mismatch_deliveries": (
        "проверка копии не прошла: доставки источника ({source}) не совпадают с копией "
        "({copied}); ничего не скопировано"
    ),
    "store.migrated": "Хранилище {url}: схема обновлена с версии {found} до {version}.",
    "store.up_to_date": "Хранилище {url}: версия схемы {version}, обновление не требуется.",
    "store.check.url": "Хранилище:     {url}",
    "store.check.backend": "Тип:           {backend}",
    "store.check.server": "Сервер:        PostgreSQL {version}",
    "store.check.schema": "Версия схемы:  {found} (эта версия imf: {supported})",
    "store.check.ok": "Состояние:     в порядке",
    "store.check.needs_migration": "Состояние:     нужна миграция: выполните 'imf store migrate'",
    "store.check.incidents": "Инциденты:     {total} (открытых: {open})",
    "store.check.events": "События:       {n}",
    "store.check.deliveries": (
        "Доставки:      ожидают {pending} (из них у обработчиков {leased}), "
        "доставлено {delivered}, не доставлено {dead}"
    ),
    "store.copied": (
        "Скопировано из {src} в {dst}: инцидентов {incidents}, событий {events}, "
        "доставок {deliveries}; число событий и проекции совпадают."
    ),
    "store.rebuilt": "Пересобрано инцидентов из событий: {n}.",
}

CATALOG = Catalog("store", en=EN, ru=RU)
