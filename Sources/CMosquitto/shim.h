#ifndef HUB_CMOSQUITTO_SHIM_H
#define HUB_CMOSQUITTO_SHIM_H
#include <mosquitto.h>
#include <mqtt_protocol.h>
#endif
