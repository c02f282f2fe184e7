/* mxprobe configuration for Linux hosts and appliances: defaults from mxp_opts.h. */
#ifndef MXP_CONFIG_H
#define MXP_CONFIG_H
#endif
