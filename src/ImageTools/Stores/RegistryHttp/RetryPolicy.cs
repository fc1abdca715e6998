using System;
using System.Net;
using System.Net.Http;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>When a failed request is worth another try, and how long to wait first (Retry-After wins, else doubling backoff).</summary>
    internal static class RetryPolicy
    {
        public static bool IsRetryable(HttpStatusCode status) =>
            status == HttpStatusCode.RequestTimeout || (int)status == 429 || ((int)status >= 500 && (int)status != 501 && (int)status != 505);

        /// <summary>The wait before attempt <paramref name="attempt"/> + 1 (attempt counts from 1).</summary>
        public static TimeSpan Delay(int attempt, HttpResponseMessage? response, TimeSpan cap)
        {
            TimeSpan wait = TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1));
            var retryAfter = response?.Headers.RetryAfter;
            if (retryAfter?.Delta is TimeSpan delta) wait = delta;
            else if (retryAfter?.Date is DateTimeOffset date) wait = date - DateTimeOffset.UtcNow;
            if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
            return wait > cap ? cap : wait;
        }
    }
}
