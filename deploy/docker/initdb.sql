-- One database per service (each service owns its own).
CREATE DATABASE weerbaar_identity;
CREATE DATABASE weerbaar_registry;
CREATE DATABASE weerbaar_incidents;
CREATE DATABASE weerbaar_content;
CREATE DATABASE weerbaar_notify;
CREATE DATABASE weerbaar_gateway;
