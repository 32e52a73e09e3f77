/* Constants PostgreSQL's headers expect; nothing is ever logged. */
#ifndef PREFLIGHT_SYSLOG_H
#define PREFLIGHT_SYSLOG_H

#define LOG_EMERG 0
#define LOG_ALERT 1
#define LOG_CRIT 2
#define LOG_ERR 3
#define LOG_WARNING 4
#define LOG_NOTICE 5
#define LOG_INFO 6
#define LOG_DEBUG 7
#define LOG_LOCAL0 (16 << 3)
#define LOG_PID 0x01
#define LOG_NDELAY 0x08

#endif
