"""The one model every source produces and every analysis reads."""

from stateward.model.canonical import canonical_json, digest
from stateward.model.change import Change, Facet, Op
from stateward.model.component import Component, Image, parse_image
from stateward.model.finding import Finding, Severity
from stateward.model.observation import Observation
from stateward.model.resource import Origin, Resource, ResourceKey
from stateward.model.secrets import SecretKeeper

__all__ = [
    "Change",
    "Component",
    "Facet",
    "Finding",
    "Image",
    "Observation",
    "Op",
    "Origin",
    "Resource",
    "ResourceKey",
    "SecretKeeper",
    "Severity",
    "canonical_json",
    "digest",
    "parse_image",
]
