/** Setup of the `opossum-10` jest project: the breaker tests there expect opossum 10. */
process.env.OBS_EXPECT_OPOSSUM_MAJOR = '10';
