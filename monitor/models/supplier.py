"""The directory of (small) suppliers that alternatives are suggested from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig

from monitor.columns import json_list, utcnow


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
