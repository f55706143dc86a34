"""sozialraum: district statistics of Jena summed up to Sozialräume and Planungsräume."""

__version__ = "0.1.0"
