"""kg: build a provenance-rich knowledge graph from articles.

The stages, one module each: ``load`` (files → Document), ``lexicon`` (entities and mentions),
``extract`` (Claim), ``graph`` (RDF), ``export``, ``analysis``, ``visualize``, ``query``, ``cli``.
``kg.pipeline.build`` runs them all.
"""
__version__ = "0.1.0"
