"""The supplier family: the directory's tables and what is created, updated and shown."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field as PydanticField
from pydantic import field_validator, model_validator
from sqlalchemy import Index
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig

from monitor.columns import json_list, utcnow
from monitor.suppliers.vocab import (
    SIZE_CLASSES,
    canonical_certification,
    country_code,
    material_name,
    split_list,
)

SUBDIVISION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
BuyerId = Annotated[int, PydanticField(ge=1, le=2**31 - 1)]  # ids are 32-bit in PostgreSQL
# Lists are bounded like every input: far above a real supplier, far below harm.
Material = Annotated[str, PydanticField(min_length=1, max_length=100)]
Certification = Annotated[str, PydanticField(min_length=1, max_length=100)]
MAX_MATERIALS = 100
MAX_CERTIFICATIONS = 50
MAX_BUYERS = 1000


class SupplierBase(SQLModel):
    # inf and NaN are no capacity, order size or coordinate, and would be written as
    # `Infinity`/`NaN`, which is not JSON: every float of the family must be finite.
    model_config = SQLModelConfig(allow_inf_nan=False)

    name: str = Field(max_length=300)
    country: str = Field(max_length=2, index=True, description="ISO 3166-1 alpha-2")
    subdivision: str | None = Field(default=None, max_length=6, description="ISO 3166-2")
    city: str | None = Field(default=None, max_length=200)
    lat: float | None = None
    lon: float | None = None
    capacity_monthly: float | None = Field(default=None, ge=0)
    capacity_unit: str | None = Field(default=None, max_length=32)
    min_order: float | None = Field(default=None, ge=0)
    lead_time_days: int | None = Field(default=None, ge=0, le=3650)
    size_class: str = Field(default="small", max_length=8, description="micro, small or medium")
    contact: str | None = Field(default=None, max_length=300)
    notes: str | None = Field(default=None, max_length=4000)
    external_id: str | None = Field(default=None, max_length=200, unique=True, index=True)
    is_demo: bool = False


class Supplier(SupplierBase, table=True):
    __tablename__ = "suppliers"

    id: int | None = Field(default=None, primary_key=True)
    certifications: list[str] = json_list()
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SupplierMaterial(SQLModel, table=True):
    """One material a supplier offers, denormalised with its country for indexed look-ups.

    The supplier's ranking columns are copied here too (kept in step by
    monitor.suppliers.service), so a suggestion query ranks candidates from this table's rows
    alone and joins `suppliers` only for the few it returns.
    """

    __tablename__ = "supplier_materials"
    __table_args__ = (Index("ix_supplier_materials_material_country", "material", "country"),)

    supplier_id: int = Field(foreign_key="suppliers.id", primary_key=True, ondelete="CASCADE")
    material: str = Field(primary_key=True, max_length=64)
    hs: str | None = Field(default=None, max_length=6)
    country: str = Field(max_length=2)
    capacity_monthly: float | None = None
    min_order: float | None = None
    lead_time_days: int | None = None
    size_class: str = Field(default="small", max_length=8)
    certifications: list[str] = json_list()


class BuyerSupplier(SQLModel, table=True):
    """A buyer already buys from this supplier (watches are built from these)."""

    __tablename__ = "buyer_suppliers"

    buyer_id: int = Field(foreign_key="buyers.id", primary_key=True, ondelete="CASCADE")
    supplier_id: int = Field(foreign_key="suppliers.id", primary_key=True, ondelete="CASCADE")


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _bounded(value: Any, most: int, what: str) -> list[Any]:
    # Counted before each item is looked up, so a huge list costs nothing.
    items = split_list(value)
    if len(items) > most:
        raise ValueError(f"at most {most} {what}, not {len(items)}")
    return items


def _materials(value: Any) -> list[str]:
    return _unique([material_name(v) for v in _bounded(value, MAX_MATERIALS, "materials")])


def _certifications(value: Any) -> list[str]:
    items = _bounded(value, MAX_CERTIFICATIONS, "certifications")
    return _unique([canonical_certification(v) for v in items])


def _country(value: Any) -> Any:
    return country_code(value) if isinstance(value, str) else value


def _size_class(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip().lower()
        if value not in SIZE_CLASSES:
            raise ValueError(f"size class {value!r} is not one of {', '.join(SIZE_CLASSES)}")
    return value


class SupplierCreate(SupplierBase):
    """A supplier as a file, the API or the demo generator hands it in."""

    materials: list[Material] = Field(
        min_length=1, max_length=MAX_MATERIALS, description="canonical names or HS headings"
    )
    certifications: list[Certification] = Field(default_factory=list, max_length=MAX_CERTIFICATIONS)
    buyer_ids: list[BuyerId] = Field(
        default_factory=list, max_length=MAX_BUYERS, description="buyers buying here"
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name is empty")
        return value.strip()

    _v_country = field_validator("country", mode="before")(_country)
    _v_size = field_validator("size_class", mode="before")(_size_class)
    _v_materials = field_validator("materials", mode="before")(_materials)
    _v_certs = field_validator("certifications", mode="before")(_certifications)

    @field_validator("subdivision", mode="before")
    @classmethod
    def _subdivision(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().upper() or None
            if value is not None and not SUBDIVISION.match(value):
                raise ValueError(f"subdivision {value!r} is not ISO 3166-2 (e.g. GH-AH)")
        return value

    @model_validator(mode="after")
    def _coherent(self) -> SupplierCreate:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        if self.lat is not None and not -90 <= self.lat <= 90:
            raise ValueError(f"lat {self.lat} is outside -90..90")
        if self.lon is not None and not -180 <= self.lon <= 180:
            raise ValueError(f"lon {self.lon} is outside -180..180")
        if self.subdivision and not self.subdivision.startswith(f"{self.country}-"):
            raise ValueError(f"subdivision {self.subdivision} is not in country {self.country}")
        return self


class SupplierUpdate(SQLModel):
    """A partial change: only the fields given are applied."""

    model_config = SQLModelConfig(allow_inf_nan=False)  # as SupplierBase: finite floats only

    name: str | None = Field(default=None, max_length=300)
    country: str | None = Field(default=None, max_length=2)
    subdivision: str | None = Field(default=None, max_length=6)
    city: str | None = Field(default=None, max_length=200)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    capacity_monthly: float | None = Field(default=None, ge=0)
    capacity_unit: str | None = Field(default=None, max_length=32)
    min_order: float | None = Field(default=None, ge=0)
    lead_time_days: int | None = Field(default=None, ge=0, le=3650)
    size_class: str | None = Field(default=None, max_length=8)
    contact: str | None = Field(default=None, max_length=300)
    notes: str | None = Field(default=None, max_length=4000)
    materials: list[Material] | None = Field(default=None, max_length=MAX_MATERIALS)
    certifications: list[Certification] | None = Field(default=None, max_length=MAX_CERTIFICATIONS)
    buyer_ids: list[BuyerId] | None = Field(default=None, max_length=MAX_BUYERS)

    _v_country = field_validator("country", mode="before")(_country)
    _v_size = field_validator("size_class", mode="before")(_size_class)
    _v_materials = field_validator("materials", mode="before")(
        lambda v: None if v is None else _materials(v)
    )

    @model_validator(mode="after")
    def _required_stay_set(self) -> SupplierUpdate:
        for name in ("name", "country", "size_class", "materials"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null (leave it out to keep it)")
        return self

    _v_certs = field_validator("certifications", mode="before")(
        lambda v: None if v is None else _certifications(v)
    )


class SupplierPublic(SupplierBase):
    """A supplier as the API and the exporter show it."""

    # Rows stored before non-finite numbers were refused must still read; writers drop them.
    model_config = SQLModelConfig(allow_inf_nan=True)

    id: int
    materials: list[str]
    certifications: list[str]
    buyer_ids: list[int]
    created_at: datetime
    updated_at: datetime
