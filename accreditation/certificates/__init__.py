"""Certificates: issued per completed course, verified by code, revoked by staff."""
