"""Forms as data: definitions in ``forms/*.yaml``, checked once at start-up."""

from intake.formdef.loader import DefinitionError, load_directory, parse_definition
from intake.formdef.model import (
    FIELD_TYPES,
    TRAVEL,
    Choice,
    Field,
    FormDefinition,
    Section,
    ShowIf,
)

__all__ = [
    "FIELD_TYPES",
    "TRAVEL",
    "Choice",
    "DefinitionError",
    "Field",
    "FormDefinition",
    "Section",
    "ShowIf",
    "load_directory",
    "parse_definition",
]
