"""The rehydration penalty: what replacing a component costs versus updating in place.

- :func:`classify` — per change, in place or replace, by a rule citing its source (:mod:`.rules`);
- :func:`price` — per changed component: layer bytes pulled, CPU-seconds, rollout simulated over
  time (degraded capacity window and depth, backend load while caches are cold), and the cheapest
  safe strategy; totals per deploy and per month;
- :class:`Params` / :func:`load_params` — every parameter a documented default, overridable;
- :class:`RegistryCatalog` / :class:`EngineCatalog` — real layer sizes and node caches;
"""

from stateward.analysis.cost.classify import Verdict, classify, component_mode
from stateward.analysis.cost.estate import ComponentCost, CostReport, price
from stateward.analysis.cost.layers import (
    EngineCatalog,
    ImageLayers,
    Layer,
    LayerCatalog,
    RegistryCatalog,
)
from stateward.analysis.cost.lifecycle import AuditLifecycles, LifecycleOf, storage_lifecycle
from stateward.analysis.cost.params import PARAMETERS, Params, load_params
from stateward.analysis.cost.price import Pull, Rollout
from stateward.analysis.cost.rollout import RolloutShape, Shape, rollout_shape
from stateward.analysis.cost.rules import RULES, Mode, Rule
from stateward.analysis.cost.simulate import PodTiming, Timeline, simulate

__all__ = [
    "PARAMETERS",
    "RULES",
    "AuditLifecycles",
    "ComponentCost",
    "CostReport",
    "EngineCatalog",
    "ImageLayers",
    "Layer",
    "LayerCatalog",
    "LifecycleOf",
    "Mode",
    "Params",
    "PodTiming",
    "Pull",
    "RegistryCatalog",
    "Rollout",
    "RolloutShape",
    "Rule",
    "Shape",
    "Timeline",
    "Verdict",
    "classify",
    "component_mode",
    "load_params",
    "price",
    "rollout_shape",
    "simulate",
    "storage_lifecycle",
]
