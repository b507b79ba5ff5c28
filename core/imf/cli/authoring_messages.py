"""Messages of the plugin authors' commands (``imf plugin new``, ``imf plugins --requirements``)."""

from imf.i18n import Catalog

EN = {
    "authoring.help.plugin": "Write your own plugins.",
    "authoring.help.plugin_new": (
        "Create imf-NAME/: a plugin project with a hook, a config class, a passing test "
        "and a README."
    ),
    "authoring.opt.dir": "Directory to create the project in.",
    "authoring.opt.description": "One line saying what the plugin does.",
    "authoring.opt.requirements": (
        "Print pinned requirements (name==version) of imf and the installed plugin distributions."
    ),
    "authoring.default_description": "An imf plugin that records each declared incident.",
    "authoring.invalid_name": (
        "invalid plugin name '{name}': use lowercase letters, digits and '-' or '_', "
        "starting with a letter, at most 40 characters"
    ),
    "authoring.reserved_name": (
        "a plugin named '{name}' is already installed ({distribution}); choose another name"
    ),
    "authoring.exists": "{path} already exists; choose another name or directory",
    "authoring.created": "Created {path}: plugin '{name}', package {module}, distribution {dist}.",
    "authoring.next_steps": (
        "Next:\n"
        "  cd {path}\n"
        "  pip install -e '.[test]'\n"
        "  pytest\n"
        "  echo '[plugins.{name}]' >> imf.toml && imf declare 'Test incident' -s P4"
    ),
    "authoring.requirements_header": "# imf and its installed plugin distributions",
}

RU = {
    "authoring.help.plugin": "Писать собственные плагины.",
    "authoring.help.plugin_new": (
        "Создать imf-NAME/: проект плагина с хуком, классом конфигурации, проходящим тестом "
        "и README."
    ),
    "authoring.opt.dir": "Каталог, в котором создать проект.",
    "authoring.opt.description": "Одна строка о том, что делает плагин.",
    "authoring.opt.requirements": (
        "Вывести закреплённые зависимости (имя==версия) imf и установленных дистрибутивов плагинов."
    ),
    "authoring.default_description": "Плагин imf, записывающий каждый объявленный инцидент.",
    "authoring.invalid_name": (
        "недопустимое имя плагина «{name}»: используйте строчные латинские буквы, цифры и "
        "«-» или «_», первой — букву, не длиннее 40 символов"
    ),
    "authoring.reserved_name": (
        "плагин «{name}» уже установлен ({distribution}); выберите другое имя"
    ),
    "authoring.exists": "{path} уже существует; выберите другое имя или каталог",
    "authoring.created": "Создан {path}: плагин «{name}», пакет {module}, дистрибутив {dist}.",
    "authoring.next_steps": (
        "Дальше:\n"
        "  cd {path}\n"
        "  pip install -e '.[test]'\n"
        "  pytest\n"
        "  echo '[plugins.{name}]' >> imf.toml && imf declare 'Проверка' -s P4"
    ),
    "authoring.requirements_header": "# imf и установленные дистрибутивы плагинов",
}

CATALOG = Catalog("authoring", en=EN, ru=RU)
