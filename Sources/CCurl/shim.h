// libcurl's easy API for the feed fetcher. curl_easy_setopt and curl_easy_getinfo are variadic,
// which Swift cannot call: these typed wrappers are the only C the module adds.
#include <curl/curl.h>

typedef size_t (*hub_curl_data_callback)(char *data, size_t size, size_t count, void *context);
typedef int (*hub_curl_progress_callback)(void *context, curl_off_t download_total, curl_off_t downloaded,
                                          curl_off_t upload_total, curl_off_t uploaded);
typedef int (*hub_curl_prereq_callback)(void *context, char *remote_ip, char *local_ip, int remote_port, int local_port);

static inline CURLcode hub_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode hub_curl_set_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode hub_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode hub_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode hub_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode hub_curl_set_data_callback(CURL *handle, CURLoption option, hub_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode hub_curl_set_progress_callback(CURL *handle, hub_curl_progress_callback value) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}
static inline CURLcode hub_curl_set_prereq_callback(CURL *handle, hub_curl_prereq_callback value) {
    return curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, value);
}
static inline CURLcode hub_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode hub_curl_get_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}
